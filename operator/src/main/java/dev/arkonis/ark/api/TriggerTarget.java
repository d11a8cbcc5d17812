package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** A team an ArkEvent runs, with its input as templates over {@code .trigger.*}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerTarget(
        @Required @JsonPropertyDescription("ArkTeam in the event's namespace.") String team,
        @JsonPropertyDescription("Run input: each value is a template over .trigger (name, firedAt, body, output, ...).")
        Map<String, String> input) {

    public Map<String, String> inputTemplates() {
        return input == null ? Map.of() : input;
    }
}
