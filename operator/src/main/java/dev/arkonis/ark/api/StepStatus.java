package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One step of a run as kubectl shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepStatus(
        String name,
        String role,
        StepPhase phase,
        @JsonProperty("taskID") String taskID,
        Integer attempts,
        Integer validationAttempts,
        String startTime,
        String completionTime,
        @JsonPropertyDescription("When the current attempt times out (RFC 3339).") String deadline,
        String output,
        @JsonProperty("outputTruncated") Boolean outputTruncated,
        String message,
        TokenUsage tokenUsage) {
}
