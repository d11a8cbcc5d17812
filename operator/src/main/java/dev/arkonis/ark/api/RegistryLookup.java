package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A step whose agent is found by capability when it starts, instead of a fixed role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryLookup(
        @Required @JsonPropertyDescription("Capability id the agent must have.") String capability,
        @Size(max = 20) @JsonPropertyDescription("Tags the agent's capability must all carry.") List<String> tags,
        @Default("least-busy") @JsonPropertyDescription("How to choose among matching agents.") Strategy strategy,
        @JsonPropertyDescription("ArkAgent that runs the step when no agent matches.") String fallback) {

    public enum Strategy {
        /** The agent with the fewest tasks queued or in progress. */
        @JsonProperty("least-busy") LEAST_BUSY,
        /** Each matching agent in turn. */
        @JsonProperty("round-robin") ROUND_ROBIN;

        public String wireName() {
            return this == LEAST_BUSY ? "least-busy" : "round-robin";
        }
    }

    public List<String> tagList() {
        return tags == null ? List.of() : tags;
    }

    public Strategy effectiveStrategy() {
        return strategy == null ? Strategy.LEAST_BUSY : strategy;
    }
}
