package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.telemetry.TraceContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts a run's tasks on their roles' streams (each task id at most once, so sending again after a crash or a loss of
 * Redis data is safe) with the run's coordinates copied into the result, and takes back tasks no agent took yet.
 */
final class TaskDispatcher {
    private final TaskQueue queue;
    private final ResultEventSource results;
    private final Duration keep;

    TaskDispatcher(TaskQueue queue, ResultEventSource results, Duration keep) {
        this.queue = queue;
        this.results = results;
        this.keep = keep;
    }

    void send(ArkRun run, String team, TaskRequest task) {
        String stream = Names.queue(run.getMetadata().getNamespace(), team, task.role());
        String replyTo = Names.results(stream);
        results.watch(replyTo);
        Map<String, String> extra = new HashMap<>();
        extra.put(ResultEventSource.RUN, run.getMetadata().getName());
        extra.put(ResultEventSource.NAMESPACE, run.getMetadata().getNamespace());
        extra.put(ResultEventSource.STEP, task.step());
        extra.put(ResultEventSource.ATTEMPT, Integer.toString(task.attempt()));
        extra.put(ResultEventSource.TEAM, team);
        TaskMessage message = TaskMessage.of(task.taskId(), task.prompt(), replyTo)
                .withDeadline(task.deadline())
                .withMaxTokens(task.maxTokensPerCall())
                .withTraceparent(TraceContext.traceparent(String.valueOf(run.getMetadata().getUid()), task.taskId()))
                .withExtra(extra);
        if (task.outputSchema() != null) {
            message = message.withOutputSchema(task.outputSchema());
        }
        queue.dispatchOnce(stream, message, keep);
    }

    /** Takes the task back unless an agent already holds it (then it finishes and its result is ignored). */
    void withdraw(ArkRun run, String team, String role, String taskId) {
        queue.withdraw(Names.queue(run.getMetadata().getNamespace(), team, role), taskId);
    }

    /** Results of this run's roles are read from now on (after a restart, before anything is sent again). */
    void watch(ArkRun run, String team, String role) {
        results.watch(Names.results(Names.queue(run.getMetadata().getNamespace(), team, role)));
    }
}
