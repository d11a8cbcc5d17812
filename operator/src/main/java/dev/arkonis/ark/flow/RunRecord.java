package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.RunPhase;
import java.time.Instant;
import java.util.List;

/** What a run's transport recorded of it (the operator keeps it in the ArkRun status), enough to restore it. */
public record RunRecord(
        RunPhase phase,
        Instant startTime,
        Instant completionTime,
        Instant deadline,
        String failedStep,
        String message,
        String reason,
        String output,
        List<StepState> steps,
        RunControl control) {

    public RunRecord {
        steps = List.copyOf(steps);
        control = control == null ? RunControl.NONE : control;
    }

    /** A run nobody suspended or cancelled. */
    public RunRecord(RunPhase phase, Instant startTime, Instant completionTime, Instant deadline, String failedStep,
                     String message, String reason, String output, List<StepState> steps) {
        this(phase, startTime, completionTime, deadline, failedStep, message, reason, output, steps, RunControl.NONE);
    }
}
