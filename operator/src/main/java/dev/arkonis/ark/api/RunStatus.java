package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import lombok.Builder;
import lombok.With;

@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(
        RunPhase phase,
        String startTime,
        String completionTime,
        @JsonPropertyDescription("When the whole run times out (RFC 3339).") String deadline,
        List<StepStatus> steps,
        @JsonPropertyDescription("Finished steps out of all steps, e.g. 2/3.") String stepsDone,
        String output,
        @JsonPropertyDescription("The run's output was cut to fit the status; the whole text is kept in Redis.") Boolean outputTruncated,
        TokenUsage totalTokenUsage,
        String failedStep,
        String message,
        @JsonPropertyDescription("Why the run ended as it did, in CamelCase (StepFailed, BudgetExceeded, TimedOut, ...).") String reason,
        @With List<Condition> conditions,
        @JsonPropertyDescription("The team's spec as the run started: later edits of the team do not change the run.")
        @PreserveUnknownFields JsonNode teamSpec,
        @JsonPropertyDescription("The last value of the arkonis.dev/retry annotation that was acted on.") String observedRetry,
        Long observedGeneration,
        @JsonPropertyDescription("Since when the run is suspended (spec.suspend); its timeouts pause meanwhile.") String suspendedAt,
        @JsonPropertyDescription("When the run was cancelled (spec.cancel).") String cancelledAt,
        @JsonPropertyDescription("The steps waiting for a person to approve or reject them, comma-separated.")
        String waitingForApproval) implements ArkStatus<RunStatus> {

    public static final RunStatus EMPTY = builder().build();

    /** A status as written before runs could be steered (suspendedAt, cancelledAt, waitingForApproval unset). */
    public RunStatus(RunPhase phase, String startTime, String completionTime, String deadline, List<StepStatus> steps,
                     String stepsDone, String output, Boolean outputTruncated, TokenUsage totalTokenUsage,
                     String failedStep, String message, String reason, List<Condition> conditions, JsonNode teamSpec,
                     String observedRetry, Long observedGeneration) {
        this(phase, startTime, completionTime, deadline, steps, stepsDone, output, outputTruncated, totalTokenUsage,
                failedStep, message, reason, conditions, teamSpec, observedRetry, observedGeneration, null, null, null);
    }

    /** The reason of a status that could not be read at all. */
    public static final String UNREADABLE = "Unreadable";

    /** What stands in for a status that does not match the model: never mistaken for a run not started yet. */
    public static RunStatus unreadable(String problem) {
        return builder().message(problem).reason(UNREADABLE).build();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isUnreadable() {
        return phase == null && UNREADABLE.equals(reason);
    }

    /** The reason of a run that waits, not started, because as many runs as the operator allows are in flight. */
    public static final String IN_FLIGHT_LIMIT = "InFlightLimit";

    /** Waiting for a run in flight to finish: {@code Pending} with the reason {@link #IN_FLIGHT_LIMIT}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHeld() {
        return phase == RunPhase.Pending && IN_FLIGHT_LIMIT.equals(reason);
    }

    /** Whether the run has started: its status was written by its engine (not held, not unread). */
    public static boolean started(RunStatus status) {
        return status != null && status.phase() != null && !status.isHeld();
    }
}
