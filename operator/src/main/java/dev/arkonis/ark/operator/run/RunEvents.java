package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import java.util.concurrent.Executor;

/**
 * Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline. Each transition is
 * recorded once (keyed by what it is: the step, its attempt and phase, within the retry it belongs to). It is
 * announced once its status is written, and written by an executor of its own, in order, so an Event never delays a
 * step; an operator that died before its announcements were written announces, once it has
 * restored the run, every transition the status shows, and those already recorded change nothing.
 */
final class RunEvents {
    private final KubeEvents kube;
    private final Executor writer;

    /** @param writer writes the Events, one after the other (a single thread, or the caller's in tests) */
    RunEvents(KubeEvents kube, Executor writer) {
        this.kube = kube;
        this.writer = writer;
    }

    void started(ArkRun run, String team, int steps) {
        once(run, EventReason.RunStarted, "started", "run of team " + team + " started with " + steps + " step(s)");
    }

    void refused(ArkRun run, RunStarter.Refusal reason, String message) {
        once(run, reason.event, "refused", message);
    }

    void step(ArkRun run, String retry, StepState step) {
        String key = retry + "/" + step.name() + "/" + step.attempts() + "/" + step.phase();
        boolean decided = step.approval() != null && step.approval().isDecided();
        switch (step.phase()) {
            case Running -> once(run, EventReason.StepStarted, key, "step " + step.name() + " started (role "
                    + step.role() + ", attempt " + step.attempts() + ")");
            case WaitingForApproval -> {
                String name = Ark.decisionName(step.name(), step.attempts());
                once(run, EventReason.ApprovalRequested, key, "step " + step.name() + " waits for approval (ark approve,"
                        + " or the annotation " + Ark.ANNOTATION_APPROVE_PREFIX + name + " or "
                        + Ark.ANNOTATION_REJECT_PREFIX + name + "): " + step.approval().message());
            }
            case Succeeded -> {
                if (decided) {
                    once(run, EventReason.Approved, key, "step " + step.name() + " " + step.message());
                } else {
                    once(run, EventReason.StepSucceeded, key, "step " + step.name() + " succeeded ("
                            + step.tokens().totalTokens() + " tokens" + origin(step) + ")");
                }
            }
            case Failed -> once(run, decided ? EventReason.Rejected : EventReason.StepFailed, key,
                    "step " + step.name() + (decided ? " " : " failed: ") + step.message());
            case Skipped -> once(run, EventReason.StepSkipped, key, "step " + step.name() + " " + step.message());
            case Cancelled -> once(run, EventReason.StepCancelled, key, "step " + step.name() + " " + step.message());
            default -> {
            }
        }
    }

    /** Where an output came from when no model was called for it in this run. */
    private static String origin(StepState step) {
        if (step.origin() == null) {
            return "";
        }
        return step.origin().kind() == OutputOrigin.Kind.Cached ? ", from the step cache: the output of run "
                + step.origin().run() : ", reused from run " + step.origin().run();
    }

    void ended(ArkRun run, String retry, RunPhase phase, String message) {
        String key = retry + "/" + phase;
        switch (phase) {
            case Succeeded -> once(run, EventReason.RunSucceeded, key, "run succeeded");
            case Failed -> once(run, EventReason.RunFailed, key, ended(phase, message));
            case TimedOut -> once(run, EventReason.RunTimedOut, key, ended(phase, message));
            case Cancelled -> once(run, EventReason.RunCancelled, key, ended(phase, message));
            default -> {
            }
        }
    }

    private static String ended(RunPhase phase, String message) {
        return "run " + phase.name().toLowerCase() + (message == null ? "" : ": " + message);
    }

    /** Everything the run's status shows happened, for a run restored from it. */
    void recorded(ArkRun run, String retry, dev.arkonis.ark.flow.PipelineRun engine) {
        if (engine.phase() != RunPhase.Pending) {
            once(run, EventReason.RunStarted, "started", "run of team " + run.getSpec().teamName() + " started with "
                    + engine.steps().size() + " step(s)");
        }
        engine.steps().stream().filter(s -> s.phase() != dev.arkonis.ark.api.StepPhase.Pending)
                .forEach(step -> step(run, retry, step));
        if (engine.phase().isFinished()) {
            ended(run, retry, engine.phase(), engine.message());
        }
    }

    void note(ArkRun run, Decision.Note note) {
        once(run, note.reason(), note.key(), note.message());
    }

    private void once(ArkRun run, EventReason reason, String key, String message) {
        writer.execute(() -> kube.once(run, reason, key, message));
    }
}
