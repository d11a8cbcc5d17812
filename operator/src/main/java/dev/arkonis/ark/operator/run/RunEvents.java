package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.KubeEvents;

/**
 * Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline. Each transition is
 * recorded once (keyed by what it is: the step, its attempt and phase, within the retry it belongs to), and it is
 * announced before the status that shows it is written: an operator that dies in between announces it again after
 * its restart, and the second announcement changes nothing.
 */
final class RunEvents {
    private final KubeEvents events;

    RunEvents(KubeEvents events) {
        this.events = events;
    }

    void started(ArkRun run, String team, int steps) {
        events.once(run, false, "RunStarted", "started", "run of team " + team + " started with " + steps + " step(s)");
    }

    void refused(ArkRun run, String reason, String message) {
        events.once(run, true, "Run" + reason, "refused", message);
    }

    void step(ArkRun run, String retry, StepState step) {
        String key = retry + "/" + step.name() + "/" + step.attempts() + "/" + step.phase();
        switch (step.phase()) {
            case Running -> events.once(run, false, "StepStarted", key, "step " + step.name() + " started (role "
                    + step.role() + ", attempt " + step.attempts() + ")");
            case Succeeded -> events.once(run, false, "StepSucceeded", key, "step " + step.name() + " succeeded ("
                    + step.tokens().totalTokens() + " tokens)");
            case Failed -> events.once(run, true, "StepFailed", key, "step " + step.name() + " failed: " + step.message());
            case Skipped -> events.once(run, false, "StepSkipped", key, "step " + step.name() + " " + step.message());
            default -> {
            }
        }
    }

    void ended(ArkRun run, String retry, RunPhase phase, String message) {
        String key = retry + "/" + phase;
        if (phase == RunPhase.Succeeded) {
            events.once(run, false, "RunSucceeded", key, "run succeeded");
        } else {
            events.once(run, true, "Run" + phase.name(), key,
                    "run " + phase.name().toLowerCase() + (message == null ? "" : ": " + message));
        }
    }

    void note(ArkRun run, Decision.Note note) {
        events.once(run, note.warning(), note.reason(), note.key(), note.message());
    }

    /** A reconcile of the run failed; repeats of the same failure count up on one Event. */
    void reconcileFailed(ArkRun run, String message) {
        events.warning(run, dev.arkonis.ark.operator.ReconcileErrors.REASON, message);
    }
}
