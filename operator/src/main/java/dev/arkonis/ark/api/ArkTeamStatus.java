package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import lombok.Builder;
import lombok.With;

@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkTeamStatus(
        TeamPhase phase,
        @With List<Condition> conditions,
        List<RoleStatus> roles,
        Integer roleCount,
        String lastRunName,
        Long observedGeneration) implements ArkStatus<ArkTeamStatus> {

    public static final ArkTeamStatus EMPTY = builder().build();

    public enum TeamPhase { Pending, Ready, Degraded, Invalid }
}
