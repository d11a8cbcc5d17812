package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;
import lombok.Builder;
import lombok.With;

@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentStatus(
        @StatusReplicas Integer replicas,
        Integer readyReplicas,
        @JsonPropertyDescription("Redis stream key the agents consume.") String queue,
        TokenUsage dailyTokenUsage,
        @JsonPropertyDescription("Usage against the rolling 24h budget, e.g. 1200/500000.") String budget,
        @JsonPropertyDescription("When enough of the window frees up for the agent to resume (RFC 3339).") String budgetResetsAt,
        @With List<Condition> conditions,
        Long observedGeneration,
        @JsonPropertyDescription("Replicas the operator wants now: spec.replicas, what autoscaling computed from the "
                + "pending work, or 0 while the budget is spent.") Integer desiredReplicas,
        @JsonPropertyDescription("Since when an autoscaled agent has had no work (RFC 3339); it goes to zero "
                + "scaleToZero.afterSeconds later.") String idleSince) implements ArkStatus<AgentStatus> {
    public static final AgentStatus EMPTY = builder().build();
}
