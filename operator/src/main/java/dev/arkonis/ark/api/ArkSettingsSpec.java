package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * What a role's model calls take from an ArkSettings: a temperature, an output format, and prompt fragments around
 * the role's system prompt ({@code persona} before it, {@code outputRules} after it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkSettingsSpec(
        @Pattern("^(0(\\.[0-9]+)?|1(\\.0+)?)$") @JsonPropertyDescription("Sampling temperature from 0.0 to 1.0, as text (\"0.7\").")
        String temperature,
        @JsonPropertyDescription("How answers are formatted, e.g. structured-json, markdown, text.") String outputFormat,
        @JsonPropertyDescription("Accepted for compatibility: agents keep their memory in the conversation (in-context).")
        MemoryBackend memoryBackend,
        PromptFragments promptFragments) {

    public enum MemoryBackend {
        @JsonProperty("in-context") IN_CONTEXT,
        @JsonProperty("vector-store") VECTOR_STORE,
        @JsonProperty("redis") REDIS
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PromptFragments(
            @JsonPropertyDescription("Put before the role's system prompt.") String persona,
            @JsonPropertyDescription("Put after the role's system prompt.") String outputRules) {
    }
}
