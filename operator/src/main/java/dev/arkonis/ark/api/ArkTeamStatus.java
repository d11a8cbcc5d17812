package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkTeamStatus(
        TeamPhase phase,
        List<Condition> conditions,
        List<RoleStatus> roles,
        Integer roleCount,
        String lastRunName,
        Long observedGeneration) {

    public enum TeamPhase { Pending, Ready, Degraded, Invalid }
}
