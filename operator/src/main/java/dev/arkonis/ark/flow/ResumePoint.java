package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run started again from one of its steps: the earlier run's steps as it recorded them, and the step to run again.
 * That step and every step downstream of it run; every other step that succeeded (or was skipped by its own
 * condition) in the earlier run keeps its recorded output, for no tokens; the others run again.
 */
public record ResumePoint(String sourceRun, String fromStep, List<StepState> sourceSteps) {

    public ResumePoint {
        sourceSteps = List.copyOf(sourceSteps);
    }

    /** The earlier run's steps this run reuses, by name; an unknown {@code fromStep} is refused with the steps' names. */
    Map<String, StepState> reused(Pipeline pipeline) {
        if (pipeline.step(fromStep) == null) {
            throw new IllegalArgumentException("no step \"" + fromStep + "\" in the pipeline (steps: "
                    + String.join(", ", pipeline.steps().stream().map(StepDefinition::name).toList()) + ")");
        }
        Set<String> rerun = new HashSet<>(pipeline.descendants(fromStep));
        rerun.add(fromStep);
        Map<String, StepState> reused = new LinkedHashMap<>();
        for (StepState step : sourceSteps) {
            if (pipeline.step(step.name()) != null && !rerun.contains(step.name()) && reusable(step)) {
                reused.put(step.name(), step);
            }
        }
        return reused;
    }

    private static boolean reusable(StepState step) {
        return step.phase() == StepPhase.Succeeded
                || (step.phase() == StepPhase.Skipped && step.skipReason() == SkipReason.ConditionFalse);
    }
}
