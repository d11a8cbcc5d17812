package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
        @JsonPropertyDescription("Tokens and US dollars its roles' agents spent in the rolling 24h window, as their "
                + "statuses say; the cost is absent when no price was known.") TokenUsage dailyUsage,
        Long observedGeneration) implements ArkStatus<ArkTeamStatus> {

    public static final ArkTeamStatus EMPTY = builder().build();

    public enum TeamPhase { Pending, Ready, Degraded, Invalid }
}
