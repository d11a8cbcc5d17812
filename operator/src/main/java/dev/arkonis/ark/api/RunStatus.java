package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(
        RunPhase phase,
        String startTime,
        String completionTime,
        @JsonPropertyDescription("When the whole run times out (RFC 3339).") String deadline,
        List<StepStatus> steps,
        @JsonPropertyDescription("Finished steps out of all steps, e.g. 2/3.") String stepsDone,
        String output,
        Boolean outputTruncated,
        TokenUsage totalTokenUsage,
        String failedStep,
        String message,
        @JsonPropertyDescription("Why the run ended as it did, in CamelCase (StepFailed, BudgetExceeded, TimedOut, ...).") String reason,
        List<Condition> conditions,
        @JsonPropertyDescription("The team's spec as the run started: later edits of the team do not change the run.")
        @PreserveUnknownFields JsonNode teamSpec,
        @JsonPropertyDescription("The last value of the arkonis.dev/retry annotation that was acted on.") String observedRetry,
        Long observedGeneration) {
}
