package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.Builder;

/**
 * One step of a run as kubectl shows it. {@code message} is for people; the fields after it are the engine's state
 * that a restarted operator carries on from, and are never parsed out of the message.
 */
@Builder(toBuilder = true)
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
        @JsonProperty("outputTruncated")
        @JsonPropertyDescription("The output was cut to fit the status; the whole text is kept in Redis.") Boolean outputTruncated,
        String message,
        TokenUsage tokenUsage,
        @JsonPropertyDescription("Why a Skipped step was skipped; only ConditionFalse lets its dependents run.") SkipReason skipReason,
        @JsonPropertyDescription("Errors of the last output that failed the step's checks, fed back into its retry.") List<String> validationErrors,
        @JsonPropertyDescription("What a Running step waits for besides its agent's answer, e.g. an agent out of budget.") String waitingFor,
        @JsonPropertyDescription("Iterations run so far (loop steps only); output is the latest one's, earlier ones are kept in Redis.")
        Integer iterations,
        @JsonPropertyDescription("Milliseconds its tasks waited in the queue before an agent took them, over all attempts; absent when no agent said.")
        Long queueWaitMs,
        @JsonPropertyDescription("An approval step's question and decision.") ApprovalStatus approval,
        @JsonPropertyDescription("The output came from the step cache: no model was called, no tokens spent.") Boolean cached,
        @JsonPropertyDescription("The output was reused from the run this one resumed from (spec.resumeFrom).") Boolean reused,
        @JsonPropertyDescription("The run whose output a cached or reused step took.") String sourceRun,
        @JsonPropertyDescription("The step that delegated this one (with the built-in delegate tool); absent for the team's own steps.")
        String parent,
        @JsonPropertyDescription("How this step came from its parent's delegate call.") Delegation delegation,
        @JsonPropertyDescription("The ArkAgent that runs the step, when it was chosen by routing or a registryLookup.")
        String resolvedAgent,
        @JsonPropertyDescription("The capability the agent was chosen by; absent when a fallback took the step.")
        String selectedCapability,
        @JsonPropertyDescription("Why that agent: the router's reason, the lookup's choice, or why the fallback took it.")
        String routingReason) {

    /** What a delegated step's parent asked for: its attempt and call, the depth below the entry task, the task text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delegation(Integer parentAttempt, Integer call, Integer depth, String task) {
    }

    public StepStatus {
        validationErrors = validationErrors == null || validationErrors.isEmpty() ? null : List.copyOf(validationErrors);
    }

    /** A step of a role whose output, if any, a model call of this run made. */
    public StepStatus(String name, String role, StepPhase phase, String taskID, Integer attempts,
                      Integer validationAttempts, String startTime, String completionTime, String deadline,
                      String output, Boolean outputTruncated, String message, TokenUsage tokenUsage,
                      SkipReason skipReason, List<String> validationErrors, String waitingFor, Integer iterations,
                      Long queueWaitMs) {
        this(name, role, phase, taskID, attempts, validationAttempts, startTime, completionTime, deadline, output,
                outputTruncated, message, tokenUsage, skipReason, validationErrors, waitingFor, iterations, queueWaitMs,
                null, null, null, null, null, null, null, null, null);
    }

    /** A step that was not skipped, has no rejected output, waits for nothing else and is not a loop step. */
    public StepStatus(String name, String role, StepPhase phase, String taskID, Integer attempts,
                      Integer validationAttempts, String startTime, String completionTime, String deadline,
                      String output, Boolean outputTruncated, String message, TokenUsage tokenUsage) {
        this(name, role, phase, taskID, attempts, validationAttempts, startTime, completionTime, deadline, output,
                outputTruncated, message, tokenUsage, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
