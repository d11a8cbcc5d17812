package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline, in order.
 *
 * <p>A transition (a step's start or end, an approval asked for, the run's start or end) is keyed by what it is (the
 * step, its attempt and phase, within the retry it belongs to) and carries the moment its status write recorded, to
 * the microsecond, plus a rank so that what happened at one moment reads cause before effect: the run starts, steps
 * finish, steps start, the run ends. The engine stamps everything one reconcile decides with one clock reading, so
 * the transitions one status write recorded share their moment and are told as one Event ({@link EventGroup}: "step
 * a succeeded (120 tokens); step b started (role writer, attempt 1)", headed by the transition that says most about
 * the run, a Warning if any is one, at the first one's moment, named after it and their keys; a transition alone is
 * exactly the Event it was before). They are told once the status is written, by a writer of their own
 * ({@link RunTimeline}), so an Event never delays a step; when the writer falls behind, a run's groups that wait for
 * it are folded into one Event, as far as one message holds them whole.
 *
 * <p>An operator that restores a run from its status (after a restart, when it takes another replica's shard over,
 * after a failed reconcile or a change someone else made) tells every transition the status still shows, the start of
 * an ended step included, grouped by the moment each was recorded and never folded: each group gets the name it got
 * when it was written alone, which the API server refuses as existing, so it is not told twice, and what this process
 * already took is not told again at all. What may be told twice is a group that a process which then died had folded
 * with others under back-pressure (its Event had a name of its own), and a group with a transition the status no
 * longer shows (the start of an attempt between a step's first and its last); a retried run's transitions are keyed
 * by the retry.
 * Nothing is lost: each transition is in the status before it is told; an Event's message holds its transitions whole
 * (only a transition longer than a message alone is cut, as before); whatever a dying operator had not written is in
 * the status its successor tells, but for the start of an attempt between a step's first and its last.
 */
final class RunEvents {
    private final KubeEvents kube;
    private final Executor writer;
    private final RunTimeline timeline;

    /** @param writer writes the Events, one after the other (a single thread, or the caller's in tests) */
    RunEvents(KubeEvents kube, Executor writer) {
        this.kube = kube;
        this.writer = writer;
        this.timeline = new RunTimeline(kube, writer);
    }

    /**
     * What one status write recorded: the run's start (with its first), each step whose phase or attempt changed, the
     * run's end.
     *
     * @param before the status the write replaced
     */
    void written(ArkRun run, LiveRun live, List<StepState> changes, RunStatus before) {
        String retry = String.valueOf(live.observedRetry);
        PipelineRun engine = live.engine;
        List<RunTransition> told = new ArrayList<>();
        if (!RunStatus.started(before)) {
            told.add(started(live.team, engine));
        }
        Map<String, StepStatus> was = new HashMap<>();
        if (before != null && before.steps() != null) {
            before.steps().forEach(step -> was.put(step.name(), step));
        }
        for (StepState step : changes) {
            if (moved(was.get(step.name()), step)) {
                current(retry, step, engine, told);
            }
        }
        RunPhase phase = engine.phase();
        if (phase.isFinished() && (before == null || before.phase() != phase || !changes.isEmpty())) {
            ended(retry, engine, told);
        }
        timeline.tell(run, told, false);
    }

    /** Everything the run's status shows happened, for a run restored from it. */
    void recorded(ArkRun run, String retry, PipelineRun engine) {
        List<RunTransition> told = new ArrayList<>();
        if (engine.phase() != RunPhase.Pending) {
            told.add(started(run.getSpec().teamName(), engine));
        }
        for (StepState step : engine.steps()) {
            if (step.phase() != StepPhase.Pending) {
                earlier(retry, step, engine, told);
                current(retry, step, engine, told);
            }
        }
        if (engine.phase().isFinished()) {
            ended(retry, engine, told);
        }
        timeline.tell(run, told, true);
    }

    /** The run is gone: nothing of it is remembered. */
    void forget(ArkRun run) {
        timeline.forget(run);
    }

    /** The run waits for a place among the runs in flight: told once, when it begins to wait. */
    void held(ArkRun run, String message) {
        once(run, EventReason.RunQueued, "queued", message, kube.moment());
    }

    void refused(ArkRun run, RunStarter.Refusal reason, String message) {
        once(run, reason.event, "refused", message, kube.moment());
    }

    /** Told only when it happens (never again from the status): its moment is the one it is announced at. */
    void note(ArkRun run, Decision.Note note) {
        once(run, note.reason(), note.key(), note.message(), kube.moment());
    }

    /** Whether the step's phase or attempt differs from what the status showed (a step warming up is running). */
    private static boolean moved(StepStatus was, StepState step) {
        if (was == null) {
            return true;
        }
        StepPhase phase = was.phase() == StepPhase.WarmingUp ? StepPhase.Running : was.phase();
        return phase != step.phase() || (was.attempts() == null ? 0 : was.attempts()) != step.attempts();
    }

    private RunTransition started(String team, PipelineRun engine) {
        return transition(EventReason.RunStarted, "started", "run of team " + team + " started with "
                + engine.steps().size() + " step(s)", engine.startTime(), 0);
    }

    /** The transition into the step's phase now. */
    private void current(String retry, StepState step, PipelineRun engine, List<RunTransition> told) {
        String key = key(retry, step, step.attempts(), step.phase());
        Instant finished = step.completionTime();
        boolean decided = step.approval() != null && step.approval().isDecided();
        switch (step.phase()) {
            case Running -> told.add(running(retry, step, step.attempts(), attemptStart(step, engine)));
            case WaitingForApproval -> told.add(asked(retry, step));
            case Succeeded -> told.add(decided
                    ? transition(EventReason.Approved, key, "step " + step.name() + " " + step.message(), finished, 1)
                    : transition(EventReason.StepSucceeded, key, "step " + step.name() + " succeeded ("
                    + step.tokens().totalTokens() + " tokens" + origin(step) + ")", finished, 1));
            case Failed -> told.add(transition(decided ? EventReason.Rejected : EventReason.StepFailed, key,
                    "step " + step.name() + (decided ? " " : " failed: ") + step.message(), finished, 1));
            case Skipped -> told.add(transition(EventReason.StepSkipped, key, "step " + step.name() + " "
                    + step.message(), finished, 1));
            case Cancelled -> told.add(transition(EventReason.StepCancelled, key, "step " + step.name() + " "
                    + step.message(), finished, 1));
            default -> {
            }
        }
    }

    /**
     * The starts before the step's phase now that a status write recorded, as far as the status shows them: its first
     * attempt's, its last one's, the approval it asked for; not what began in the write that ended it.
     */
    private void earlier(String retry, StepState step, PipelineRun engine, List<RunTransition> told) {
        Instant first = step.startTime();
        if (first == null || step.phase() == StepPhase.WaitingForApproval) {
            return;
        }
        if (step.phase() == StepPhase.Running) {
            if (step.attempts() > 1) {
                told.add(running(retry, step, 1, first));
            }
            return;
        }
        Instant end = step.completionTime();
        if (end == null || !first.isBefore(end)) {
            return;
        }
        if (step.approval() != null) {
            told.add(asked(retry, step));
            return;
        }
        told.add(running(retry, step, 1, first));
        Instant last = attemptStart(step, engine);
        if (step.attempts() > 1 && last != null && last.isAfter(first) && last.isBefore(end)) {
            told.add(running(retry, step, step.attempts(), last));
        }
    }

    private RunTransition running(String retry, StepState step, int attempt, Instant at) {
        return transition(EventReason.StepStarted, key(retry, step, attempt, StepPhase.Running), "step " + step.name()
                + " started (role " + step.role() + ", attempt " + attempt + ")", at, 2);
    }

    private RunTransition asked(String retry, StepState step) {
        String name = Ark.decisionName(step.name(), step.attempts());
        return transition(EventReason.ApprovalRequested, key(retry, step, step.attempts(), StepPhase.WaitingForApproval),
                "step " + step.name() + " waits for approval (ark approve, or the annotation "
                        + Ark.ANNOTATION_APPROVE_PREFIX + name + " or " + Ark.ANNOTATION_REJECT_PREFIX + name + "): "
                        + step.approval().message(), step.startTime(), 2);
    }

    private static String key(String retry, StepState step, int attempt, StepPhase phase) {
        return retry + "/" + step.name() + "/" + attempt + "/" + phase;
    }

    /** Where an output came from when no model was called for it in this run. */
    private static String origin(StepState step) {
        if (step.origin() == null) {
            return "";
        }
        return step.origin().kind() == OutputOrigin.Kind.Cached ? ", from the step cache: the output of run "
                + step.origin().run() : ", reused from run " + step.origin().run();
    }

    private void ended(String retry, PipelineRun engine, List<RunTransition> told) {
        RunPhase phase = engine.phase();
        String key = retry + "/" + phase;
        Instant at = engine.completionTime();
        switch (phase) {
            case Succeeded -> told.add(transition(EventReason.RunSucceeded, key, "run succeeded", at, 3));
            case Failed -> told.add(transition(EventReason.RunFailed, key, ended(phase, engine.message()), at, 3));
            case TimedOut -> told.add(transition(EventReason.RunTimedOut, key, ended(phase, engine.message()), at, 3));
            case Cancelled -> told.add(transition(EventReason.RunCancelled, key, ended(phase, engine.message()), at, 3));
            default -> {
            }
        }
    }

    private static String ended(RunPhase phase, String message) {
        return "run " + phase.name().toLowerCase() + (message == null ? "" : ": " + message);
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
     * A transition at the time its status recorded, to the microsecond, {@code rank} microseconds after it so that
     * what happened at one moment reads cause before effect; now if nothing was recorded.
     */
    private RunTransition transition(EventReason reason, String key, String message, Instant recorded, int rank) {
        return recorded == null ? new RunTransition(reason, key, message, kube.moment(), 0)
                : new RunTransition(reason, key, message, recorded.truncatedTo(ChronoUnit.MICROS), rank);
    }

    private void once(ArkRun run, EventReason reason, String key, String message, Instant at) {
        writer.execute(() -> kube.once(run, reason, key, message, at));
    }
}
