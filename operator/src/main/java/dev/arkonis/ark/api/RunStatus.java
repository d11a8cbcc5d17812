package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(
        RunPhase phase,
        String startTime,
        String completionTime,
        List<StepStatus> steps,
        @JsonPropertyDescription("Finished steps out of all steps, e.g. 2/3.") String stepsDone,
        String output,
        Boolean outputTruncated,
        TokenUsage totalTokenUsage,
        String failedStep,
        String message,
        List<Condition> conditions,
        Long observedGeneration) {
}
