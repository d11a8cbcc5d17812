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
        TokenUsage tokenUsage,
        @JsonPropertyDescription("Iterations run so far (loop steps only); output is the latest one's, earlier ones are kept in Redis.")
        Integer iterations) {

    /** A step that is not a loop step. */
    public StepStatus(String name, String role, StepPhase phase, String taskID, Integer attempts,
                      Integer validationAttempts, String startTime, String completionTime, String deadline, String output,
                      Boolean outputTruncated, String message, TokenUsage tokenUsage) {
        this(name, role, phase, taskID, attempts, validationAttempts, startTime, completionTime, deadline, output,
                outputTruncated, message, tokenUsage, null);
    }
}
