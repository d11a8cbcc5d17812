package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a run's engine through one reconcile: tasks lost or never sent by this process are sent again, a retry is
 * applied when asked, results are applied (each once: the engine ignores what it already has), deadlines fire. Pure:
 * no I/O, the same inputs give the same decision.
 */
final class RunDriver {

    Decision decide(LiveRun live, RunObservation seen, Instant now) {
        PipelineRun engine = live.engine;
        Map<String, TaskRequest> toSend = new LinkedHashMap<>();
        List<Decision.Note> notes = new ArrayList<>();
        if (live.sentInDataGeneration != seen.dataLosses()) {
            List<String> resent = new ArrayList<>();
            for (StepState step : engine.steps()) {
                engine.currentTask(step.name()).ifPresent(task -> {
                    toSend.put(task.taskId(), task);
                    resent.add(step.name());
                });
            }
            if (live.sentInDataGeneration != LiveRun.NEVER_SENT && !resent.isEmpty()) {
                notes.add(new Decision.Note(EventReason.TasksResent, "lost-" + seen.dataLosses(),
                        "Redis lost its data (its consumer groups were gone); sent the tasks of steps "
                                + String.join(", ", resent) + " again"));
            }
            live.sentInDataGeneration = seen.dataLosses();
        }
        if (seen.retryAsked(live.observedRetry)) {
            live.observedRetry = seen.retryToken();
            retry(engine, seen, now, notes).forEach(task -> toSend.put(task.taskId(), task));
        }
        engine.resume(now).forEach(task -> toSend.put(task.taskId(), task));
        List<ResultDelivery> early = new ArrayList<>();
        for (ResultDelivery delivery : seen.results()) {
            TaskOutcome outcome = outcome(delivery.result());
            if (engine.isAhead(outcome)) {
                early.add(delivery);
                continue;
            }
            engine.onResult(outcome, now).forEach(task -> toSend.put(task.taskId(), task));
        }
        engine.onTime(now).forEach(task -> toSend.put(task.taskId(), task));
        List<StepState> changes = engine.drainChanges();
        // a step given up (timed out, abandoned) should not cost tokens later: its queued task is withdrawn
        List<StepState> withdraw = changes.stream()
                .filter(step -> step.phase() == StepPhase.Failed && step.taskId() != null).toList();
        return new Decision(List.copyOf(toSend.values()), withdraw, changes, notes, early);
    }

    /** The first decision of a run that just started. */
    Decision started(LiveRun live, List<TaskRequest> tasks, long dataLosses) {
        live.sentInDataGeneration = dataLosses;
        return new Decision(tasks, List.of(), live.engine.drainChanges(), List.of(), List.of());
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

    /** Whether a result answers an attempt later than the recorded status knows of its step. */
    static boolean aheadOf(RunStatus status, ResultDelivery delivery) {
        TaskOutcome outcome = outcome(delivery.result());
        return status.steps() != null && status.steps().stream().anyMatch(step -> step.name().equals(outcome.step())
                && outcome.attempt() > (step.attempts() == null ? 0 : step.attempts()));
    }

    static TaskOutcome outcome(TaskResult result) {
        String step = result.copied().get(ResultEventSource.STEP);
        int attempt;
        try {
            attempt = Integer.parseInt(result.copied().getOrDefault(ResultEventSource.ATTEMPT, "0"));
        } catch (NumberFormatException e) {
            attempt = 0; // no attempt of any step: the engine ignores it
        }
        TokenUsage usage = TokenUsage.of(result.inputTokens(), result.outputTokens());
        TaskOutcome outcome = result.status() == TaskStatus.SUCCEEDED
                ? TaskOutcome.success(step, attempt, result.output(), usage)
                : TaskOutcome.failure(step, attempt, result.error(), usage);
        // the engine tells a step's own answer from its judge's by the task id
        return outcome.forTask(result.task()).withQueueWait(result.queueWait());
    }
}
