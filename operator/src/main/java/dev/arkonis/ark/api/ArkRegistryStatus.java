package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkRegistryStatus(
        @JsonPropertyDescription("Indexed agents: those of the namespace that declare capabilities.") List<IndexedAgent> agents,
        @JsonPropertyDescription("Every capability id and the agents that have it.") List<IndexedCapability> capabilities,
        Integer agentCount,
        Integer capabilityCount,
        List<Condition> conditions,
        Long observedGeneration) {

    /** An agent as the index sees it; {@code team} is empty for an agent no team owns. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexedAgent(String name, String team, String queue, List<String> capabilities, Integer readyReplicas) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexedCapability(String id, String description, List<String> agents) {
    }
}
