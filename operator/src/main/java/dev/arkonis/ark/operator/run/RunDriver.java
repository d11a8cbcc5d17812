package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.AgentDirectory;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.DelegationReply;
import dev.arkonis.ark.flow.DelegationRequest;
import dev.arkonis.ark.flow.ModelUse;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunControl;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.queue.DelegationCall;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides what one reconcile does with a run, by driving its engine (the pure one in flow) with what the reconcile
 * saw: a new run is started (or refused); a finished one only settles its late results; any other continues with the
 * engine kept from its last event, or restored from its status: tasks lost or never sent by this process are sent
 * again, a retry is applied when asked, then what people asked (suspend, resume, cancel, approval decisions), results
 * are applied (each once: the engine ignores what it already has), deadlines fire, and the step cache answers what
 * it can. It writes nothing; it reads the whole outputs a restored status cut and the step cache.
 */
final class RunDriver {
    private final RunStarter starter;
    private final LiveRuns liveRuns;
    private final CachedSteps cachedSteps;
    private final RunDirectories directories;

    RunDriver(RunStarter starter, LiveRuns liveRuns, CachedSteps cachedSteps, RunDirectories directories) {
        this.starter = starter;
        this.liveRuns = liveRuns;
        this.cachedSteps = cachedSteps;
        this.directories = directories;
    }

    Decision decide(ArkRun run, RunObservation seen, Instant now) {
        RunStatus status = run.getStatus();
        if (!RunStatus.started(status)) {
            return start(run, seen, now);
        }
        if (status.phase().isFinished() && !seen.retryAsked(status.observedRetry())) {
            // late or duplicate results of a finished run are acknowledged and discarded; one for an attempt this
            // copy has not seen (a retry it does not know of yet) waits for the newer copy
            liveRuns.forget(run);
            return new Decision.Settle(seen.results().stream().filter(r -> aheadOf(status, r)).toList());
        }
        return drive(run, liveRuns.take(run, directoriesFor(run, seen)), seen, now);
    }

    /** The agents a run of its team may hand work to, as this reconcile sees its namespace. */
    private Function<ArkTeamSpec, AgentDirectory> directoriesFor(ArkRun run, RunObservation seen) {
        return spec -> directories.of(run.getMetadata().getNamespace(), run.getSpec().teamName(), spec, seen.namespace());
    }

    /** How many times a run had to be restored from its status: once per run and process, not once per event. */
    long restores() {
        return liveRuns.restores();
    }

    private Decision start(ArkRun run, RunObservation seen, Instant now) {
        RunStarter.Start start = starter.start(run, seen.startsFrom(), seen.resumesFrom(), seen.steering(),
                directoriesFor(run, seen), now);
        if (start instanceof RunStarter.Refused refused) {
            return new Decision.Refuse(run.getSpec().teamName(), refused.reason(), refused.message(),
                    refused.teamSpec());
        }
        RunStarter.Started started = (RunStarter.Started) start;
        LiveRun live = started.live();
        liveRuns.started(live, started.pipeline());
        live.sentInDataGeneration = seen.dataLosses();
        Map<String, TaskRequest> toSend = new LinkedHashMap<>();
        started.tasks().forEach(task -> toSend.put(task.taskId(), task));
        List<Decision.Note> notes = new ArrayList<>();
        List<StepState> withdraw = new ArrayList<>();
        steer(live.engine, seen.steering(), now, toSend, withdraw, notes);
        if (live.engine.control().suspended()) {
            notes.add(new Decision.Note(EventReason.RunSuspended, "suspended-" + live.engine.control().suspendedAt(),
                    "created suspended (spec.suspend): no step starts until it is resumed"));
        }
        return settle(run, live, true, toSend, withdraw, notes, List.of(), List.of(), now);
    }

    private Decision drive(ArkRun run, LiveRun live, RunObservation seen, Instant now) {
        PipelineRun engine = live.engine;
        Map<String, TaskRequest> toSend = new LinkedHashMap<>();
        List<Decision.Note> notes = new ArrayList<>();
        List<DelegationReply> owed = new ArrayList<>();
        if (live.sentInDataGeneration != seen.dataLosses()) {
            // answers callers still wait for may have been lost with the tasks (or never sent by this process)
            owed.addAll(engine.owedReplies());
            List<String> resent = new ArrayList<>();
            for (StepState step : engine.steps()) {
                engine.currentTask(step.name()).ifPresent(task -> {
                    toSend.put(task.taskId(), task);
                    resent.add(step.name());
                });
            }
            if (live.sentInDataGeneration != LiveRun.NEVER_SENT && !resent.isEmpty()) {
                notes.add(new Decision.Note(EventReason.TasksResent, "lost-" + seen.dataLosses(),
                        "Redis lost its data, or may have lost its last writes (it restarted or failed over);"
                                + " sent the tasks of steps " + String.join(", ", resent)
                                + " again where it no longer held them"));
            }
            live.sentInDataGeneration = seen.dataLosses();
        }
        if (seen.retryAsked(live.observedRetry)) {
            live.observedRetry = seen.retryToken();
            retry(engine, seen, now, notes).forEach(task -> toSend.put(task.taskId(), task));
        }
        List<StepState> withdraw = new ArrayList<>();
        steer(engine, seen.steering(), now, toSend, withdraw, notes);
        engine.resume(now).forEach(task -> toSend.put(task.taskId(), task));
        decide(engine, seen.steering(), now).forEach(task -> toSend.put(task.taskId(), task));
        List<ResultDelivery> early = new ArrayList<>();
        for (ResultDelivery delivery : seen.results()) {
            if (delivery.isDelegation()) {
                DelegationRequest request = request(delivery);
                if (engine.isAhead(request)) {
                    early.add(delivery);
                    continue;
                }
                engine.onDelegation(request, now).forEach(task -> toSend.put(task.taskId(), task));
                continue;
            }
            TaskOutcome outcome = outcome(delivery.result());
            if (engine.isAhead(outcome)) {
                early.add(delivery);
                continue;
            }
            engine.onResult(outcome, now).forEach(task -> toSend.put(task.taskId(), task));
        }
        // steps that began to wait just now may have been decided in advance
        decide(engine, seen.steering(), now).forEach(task -> toSend.put(task.taskId(), task));
        engine.onTime(now).forEach(task -> toSend.put(task.taskId(), task));
        return settle(run, live, false, toSend, withdraw, notes, early, owed, now);
    }

    /**
     * The step cache answers what it can of the tasks to send, and the transitions are collected: a step given up
     * (timed out, abandoned) should not cost tokens later, so its queued task is withdrawn, as are the tasks of a
     * cancelled run's running steps; only tasks their steps still wait on are sent; the answers its delegated steps
     * have for their callers go with them.
     */
    private Decision settle(ArkRun run, LiveRun live, boolean started, Map<String, TaskRequest> toSend,
                            List<StepState> withdraw, List<Decision.Note> notes, List<ResultDelivery> early,
                            List<DelegationReply> owed, Instant now) {
        PipelineRun engine = live.engine;
        CachedSteps.Outcome cached = cachedSteps.answer(run.getMetadata().getNamespace(), live.team, engine,
                toSend.values(), now);
        // a cancelled run sends nothing; its running steps' tasks are withdrawn instead
        List<TaskRequest> send = engine.control().cancelled() ? List.of()
                : cached.toSend().stream().filter(task -> awaited(engine, task)).toList();
        List<StepState> changes = engine.drainChanges();
        changes.stream().filter(step -> step.phase() == StepPhase.Failed && step.taskId() != null).forEach(withdraw::add);
        List<DelegationReply> replies = new ArrayList<>(owed);
        replies.addAll(engine.drainReplies());
        return new Decision.Drive(live, started, send, withdraw, changes, notes, early, cached.uses(), cached.writes(),
                replies);
    }

    /** Whether the task is the one its step waits on now. */
    private static boolean awaited(PipelineRun engine, TaskRequest task) {
        StepState step = engine.step(task.step());
        return step != null && step.phase() == StepPhase.Running && task.taskId().equals(step.taskId());
    }

    /**
     * What people asked through the spec: suspend (nothing new starts, timeouts pause) or resume it, and cancel (the
     * tasks of running steps are withdrawn; a task an agent took ends and its answer is kept).
     */
    private static void steer(PipelineRun engine, RunObservation.Steering steering, Instant now,
                              Map<String, TaskRequest> toSend, List<StepState> withdraw, List<Decision.Note> notes) {
        if (engine.phase().isFinished()) {
            return;
        }
        RunControl before = engine.control();
        if (steering.cancel() && !before.cancelled()) {
            List<StepState> running = engine.cancel(now);
            withdraw.addAll(running);
            notes.add(new Decision.Note(EventReason.CancelRequested, "cancel", running.isEmpty()
                    ? "cancelled by spec.cancel: every step not started is Cancelled"
                    : "cancelled by spec.cancel: the queued tasks of steps " + String.join(", ",
                    running.stream().map(StepState::name).toList()) + " are withdrawn; a task an agent took ends"));
            return;
        }
        if (before.cancelled()) {
            return;
        }
        engine.setSuspended(steering.suspend(), now).forEach(task -> toSend.put(task.taskId(), task));
        if (steering.suspend() && !before.suspended()) {
            notes.add(new Decision.Note(EventReason.RunSuspended, "suspended-" + engine.control().suspendedAt(),
                    "suspended by spec.suspend: no new step starts, running ones finish, its timeouts pause"));
        } else if (!steering.suspend() && before.suspended()) {
            notes.add(new Decision.Note(EventReason.RunResumed, "resumed-" + before.suspendedAt(),
                    "resumed: suspended since " + before.suspendedAt() + "; its timeouts run on from where they paused"));
        }
    }

    /** The decisions the run's annotations hold for the asking each waiting step is at. */
    private static List<TaskRequest> decide(PipelineRun engine, RunObservation.Steering steering, Instant now) {
        List<TaskRequest> tasks = new ArrayList<>();
        for (StepState waiting : engine.waitingForApproval()) {
            ApprovalDecision made = steering.decisions().get(Ark.decisionName(waiting.name(), waiting.attempts()));
            if (made != null) {
                tasks.addAll(engine.decide(new ApprovalDecision(waiting.name(), made.approved(), made.by(),
                        made.comment(), now), now));
            }
        }
        return tasks;
    }

    private static List<TaskRequest> retry(PipelineRun engine, RunObservation seen, Instant now, List<Decision.Note> notes) {
        String key = "retry-" + seen.retryToken();
        if (engine.phase() != RunPhase.Failed && engine.phase() != RunPhase.TimedOut) {
            notes.add(new Decision.Note(EventReason.RetryRejected, key,
                    "only a Failed or TimedOut run can be retried; this one is " + engine.phase()));
            return List.of();
        }
        try {
            List<TaskRequest> tasks = engine.retry(seen.retrySteps(), now);
            notes.add(new Decision.Note(EventReason.RetryRequested, key, seen.retrySteps().isEmpty()
                    ? "retrying the failed and skipped steps" : "retrying steps " + String.join(", ", seen.retrySteps())));
            return tasks;
        } catch (IllegalArgumentException e) {
            notes.add(new Decision.Note(EventReason.RetryRejected, key, e.getMessage()));
            return List.of();
        }
    }

    /** Whether a result (or delegate call) is of an attempt later than the recorded status knows of its step. */
    static boolean aheadOf(RunStatus status, ResultDelivery delivery) {
        String step = delivery.copied().get(ResultEventSource.STEP);
        int attempt = attempt(delivery.copied());
        return status.steps() != null && status.steps().stream().anyMatch(s -> s.name().equals(step)
                && attempt > (s.attempts() == null ? 0 : s.attempts()));
    }

    /** A delegate call as the engine takes it: the calling step's attempt, the call's number, target and task. */
    static DelegationRequest request(ResultDelivery delivery) {
        DelegationCall call = delivery.delegation();
        return new DelegationRequest(call.copied().get(ResultEventSource.STEP), attempt(call.copied()), call.call(),
                call.target(), call.prompt());
    }

    private static int attempt(Map<String, String> copied) {
        try {
            return Integer.parseInt(copied.getOrDefault(ResultEventSource.ATTEMPT, "0"));
        } catch (NumberFormatException e) {
            return 0; // no attempt of any step: the engine ignores it
        }
    }

    static TaskOutcome outcome(TaskResult result) {
        String step = result.copied().get(ResultEventSource.STEP);
        int attempt = attempt(result.copied());
        TokenUsage usage = result.usage();
        TaskOutcome outcome = result.status() == TaskStatus.SUCCEEDED
                ? TaskOutcome.success(step, attempt, result.output(), usage)
                : TaskOutcome.failure(step, attempt, result.error(), usage);
        // the engine tells a step's own answer from its judge's by the task id
        return outcome.forTask(result.task()).withQueueWait(result.queueWait()).withModelUse(new ModelUse(
                result.report().model(), result.report().modelReason(), result.report().rateLimitWait()));
    }
}
