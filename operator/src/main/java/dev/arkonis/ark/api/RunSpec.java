package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Spec of an ArkRun: which team, with what input. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.teamRef) || has(self.team)", message = "set teamRef.name (or team)")
public record RunSpec(
        TeamRef teamRef,
        @JsonPropertyDescription("Team name; same as teamRef.name.") String team,
        @JsonPropertyDescription("Values of the team's inputs.") @PreserveUnknownFields JsonNode input,
        @Min(1) @JsonPropertyDescription("Overrides the team's timeoutSeconds.") Integer timeoutSeconds,
        @Min(1) @JsonPropertyDescription("Overrides the team's maxTokens.") Long maxTokens) {

    public String teamName() {
        return teamRef != null && teamRef.name() != null ? teamRef.name() : team;
    }
}
