package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.operator.EventReason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One thing that happened to a run, as its Events tell it: a step's start or end, the run's start or end.
 *
 * @param key      what it is (step, attempt and phase within its retry), the same whenever it is told again
 * @param recorded the moment its status write recorded (to the microsecond): what one write recorded shares it
 * @param rank     microseconds after that moment, so what happened at one moment reads cause before effect
 */
record RunTransition(EventReason reason, String key, String message, Instant recorded, int rank) {
    /** When it happened, as its Event says. */
    Instant at() {
        return recorded.plus(rank, ChronoUnit.MICROS);
    }

    /** Whether it follows from others at its moment (a step skipped or cancelled as another ended): read after them. */
    boolean consequence() {
        return reason == EventReason.StepSkipped || reason == EventReason.StepCancelled;
    }

    /** Whether it ends the run. */
    boolean endsRun() {
        return weight() == 5;
    }

    /**
     * How much it says about the run, to head an Event that tells several: its end, then a failure or rejection, a
     * step's end, an approval asked for, a step's start, the run's start.
     */
    int weight() {
        return switch (reason) {
            case RunSucceeded, RunFailed, RunTimedOut, RunCancelled -> 5;
            case StepFailed, Rejected -> 4;
            case StepSucceeded, Approved, StepSkipped, StepCancelled -> 3;
            case ApprovalRequested -> 2;
            case StepStarted -> 1;
            default -> 0;
        };
    }
}
