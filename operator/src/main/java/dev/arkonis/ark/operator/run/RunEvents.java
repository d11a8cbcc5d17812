package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;

/**
 * Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline, in order. Each
 * transition is recorded once (keyed by what it is: the step, its attempt and phase, within the retry it belongs to)
 * at the moment the status recorded for it (a step's start and completion, the run's), so it sorts where it
 * happened however late it is written, and is the same Event when told again. What happens at one moment reads as
 * cause before effect: the run starts, steps finish, steps start, the run ends. It is announced once its status is
 * written, and written by an executor of its own, in order, so an Event never delays a step; an operator that died
 * before its announcements were written announces, once it has restored the run, every transition the status
 * shows, and those already recorded change nothing.
 */
final class RunEvents {
    private final KubeEvents kube;
    private final Executor writer;

    /** @param writer writes the Events, one after the other (a single thread, or the caller's in tests) */
    RunEvents(KubeEvents kube, Executor writer) {
        this.kube = kube;
        this.writer = writer;
    }

    void started(ArkRun run, String team, PipelineRun engine) {
        once(run, EventReason.RunStarted, "started", "run of team " + team + " started with " + engine.steps().size()
                + " step(s)", at(engine.startTime(), 0));
    }

    /** The run waits for a place among the runs in flight: told once, when it begins to wait. */
    void held(ArkRun run, String message) {
        once(run, EventReason.RunQueued, "queued", message, kube.moment());
    }

    void refused(ArkRun run, RunStarter.Refusal reason, String message) {
        once(run, reason.event, "refused", message, kube.moment());
    }

    void step(ArkRun run, String retry, StepState step, PipelineRun engine) {
        String key = retry + "/" + step.name() + "/" + step.attempts() + "/" + step.phase();
        Instant finished = at(step.completionTime(), 1);
        boolean decided = step.approval() != null && step.approval().isDecided();
        switch (step.phase()) {
            case Running -> once(run, EventReason.StepStarted, key, "step " + step.name() + " started (role "
                    + step.role() + ", attempt " + step.attempts() + ")", at(attemptStart(step, engine), 2));
            case WaitingForApproval -> {
                String name = Ark.decisionName(step.name(), step.attempts());
                once(run, EventReason.ApprovalRequested, key, "step " + step.name() + " waits for approval (ark approve,"
                        + " or the annotation " + Ark.ANNOTATION_APPROVE_PREFIX + name + " or "
                        + Ark.ANNOTATION_REJECT_PREFIX + name + "): " + step.approval().message(),
                        at(step.startTime(), 2));
            }
            case Succeeded -> {
                if (decided) {
                    once(run, EventReason.Approved, key, "step " + step.name() + " " + step.message(), finished);
                } else {
                    once(run, EventReason.StepSucceeded, key, "step " + step.name() + " succeeded ("
                            + step.tokens().totalTokens() + " tokens" + origin(step) + ")", finished);
                }
            }
            case Failed -> once(run, decided ? EventReason.Rejected : EventReason.StepFailed, key,
                    "step " + step.name() + (decided ? " " : " failed: ") + step.message(), finished);
            case Skipped -> once(run, EventReason.StepSkipped, key, "step " + step.name() + " " + step.message(), finished);
            case Cancelled -> once(run, EventReason.StepCancelled, key, "step " + step.name() + " " + step.message(),
                    finished);
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

    void ended(ArkRun run, String retry, PipelineRun engine) {
        RunPhase phase = engine.phase();
        String key = retry + "/" + phase;
        Instant at = at(engine.completionTime(), 3);
        switch (phase) {
            case Succeeded -> once(run, EventReason.RunSucceeded, key, "run succeeded", at);
            case Failed -> once(run, EventReason.RunFailed, key, ended(phase, engine.message()), at);
            case TimedOut -> once(run, EventReason.RunTimedOut, key, ended(phase, engine.message()), at);
            case Cancelled -> once(run, EventReason.RunCancelled, key, ended(phase, engine.message()), at);
            default -> {
            }
        }
    }

    private static String ended(RunPhase phase, String message) {
        return "run " + phase.name().toLowerCase() + (message == null ? "" : ": " + message);
    }

    /** Everything the run's status shows happened, for a run restored from it. */
    void recorded(ArkRun run, String retry, PipelineRun engine) {
        if (engine.phase() != RunPhase.Pending) {
            started(run, run.getSpec().teamName(), engine);
        }
        engine.steps().stream().filter(s -> s.phase() != StepPhase.Pending).forEach(step -> step(run, retry, step, engine));
        if (engine.phase().isFinished()) {
            ended(run, retry, engine);
        }
    }

    /** Told only when it happens (never again from the status): its moment is the one it is announced at. */
    void note(ArkRun run, Decision.Note note) {
        once(run, note.reason(), note.key(), note.message(), kube.moment());
    }

    /**
     * When the step's current attempt started: the first one when the step did, a later one its timeout before its
     * deadline (the status keeps the step's first start and the attempt's deadline).
     */
    private static Instant attemptStart(StepState step, PipelineRun engine) {
        Duration timeout = engine.attemptTimeout(step.name());
        if (step.attempts() <= 1 || step.deadline() == null || timeout == null) {
            return step.startTime();
        }
        return step.deadline().minus(timeout);
    }

    /**
     * A recorded time to the microsecond, plus {@code rank} microseconds so that what happened at one moment reads
     * cause before effect; now if nothing was recorded.
     */
    private Instant at(Instant recorded, int rank) {
        return recorded == null ? kube.moment() : recorded.truncatedTo(ChronoUnit.MICROS).plus(rank, ChronoUnit.MICROS);
    }

    private void once(ArkRun run, EventReason reason, String key, String message, Instant at) {
        writer.execute(() -> kube.once(run, reason, key, message, at));
    }
}
