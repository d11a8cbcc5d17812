package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import lombok.Builder;
import lombok.With;

/** The agents a registry indexes and the capabilities they offer, as its controller last found them. */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkRegistryStatus(
        @JsonPropertyDescription("Indexed agents: those of the namespace that declare capabilities.") List<IndexedAgent> agents,
        @JsonPropertyDescription("Every capability id and the agents that have it.") List<IndexedCapability> capabilities,
        Integer agentCount,
        Integer capabilityCount,
        @With List<Condition> conditions,
        Long observedGeneration) implements ArkStatus<ArkRegistryStatus> {

    public static final ArkRegistryStatus EMPTY = builder().build();

    /** An agent as the index sees it; {@code team} is empty for an agent no team owns. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexedAgent(String name, String team, String queue, List<String> capabilities, Integer readyReplicas) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexedCapability(String id, String description, List<String> agents) {
    }
}
