package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** Checks a step's output must pass before it counts as Succeeded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepValidation(
        @JsonPropertyDescription("JSON Schema (as a string) the output must satisfy.") String schema,
        @JsonPropertyDescription("Regular expression the output must contain a match of.") String contains,
        @JsonPropertyDescription("Regular expressions the output must not match.") List<String> rejectPatterns,
        @JsonPropertyDescription("Criterion a judge call checks the output against; a fail is retried like the other "
                + "checks, with the judge's reason fed back.") String semantic,
        @JsonPropertyDescription("Role that judges the output against semantic; the step's own role when unset.")
        String judgeRole,
        @Default("retry") OnFailure onFailure,
        @Default("2") @Min(0) Integer maxRetries) {

    public static final int DEFAULT_MAX_RETRIES = 2;

    public enum OnFailure {
        @JsonProperty("retry") RETRY,
        @JsonProperty("fail") FAIL
    }

    public OnFailure effectiveOnFailure() {
        return onFailure == null ? OnFailure.RETRY : onFailure;
    }

    public int effectiveMaxRetries() {
        return maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
    }
}
