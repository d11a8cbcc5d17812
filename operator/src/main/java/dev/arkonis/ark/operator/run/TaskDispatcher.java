package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.RunTransport;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.telemetry.TraceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out what a reconcile decided, once its status holds it: puts the run's tasks on their roles' streams (each
 * task id at most once, so sending again after a crash or a loss of Redis data is safe) with the run's coordinates
 * copied into the result, takes back tasks no agent took yet (a cancelled run's step whose task came back ends at
 * once), keeps the answers the step cache should, and acknowledges the results the status now holds.
 */
final class TaskDispatcher {
    private final RunTransport transport;
    private final ResultEventSource results;
    private final RunTelemetry telemetry;

    TaskDispatcher(RunTransport transport, ResultEventSource results, RunTelemetry telemetry) {
        this.transport = transport;
        this.results = results;
        this.telemetry = telemetry;
    }

    /** @param recorded the run as its status now records the decision */
    void carryOut(ArkRun recorded, Decision decision, RunObservation seen, Instant now) {
        if (decision instanceof Decision.Refuse) {
            return;
        }
        if (decision instanceof Decision.Drive drive) {
            String team = drive.live().team;
            for (TaskRequest task : drive.toSend()) {
                telemetry.sent(recorded, task, now);
                send(recorded, team, task);
            }
            for (StepState step : drive.withdraw()) {
                if (withdraw(recorded, team, drive.live().engine.queueRole(step), step.taskId())
                        && drive.live().engine.control().cancelled()) {
                    // no agent will answer it: the cancelled run's step ends now, and its status says so next
                    drive.live().engine.taskWithdrawn(step.name(), now);
                    drive.live().unrecorded = true;
                }
            }
            drive.cacheUses().forEach(use -> telemetry.cacheLookup(recorded, team, use));
            if (!drive.cacheWrites().isEmpty()) {
                StepCacheStore cache = transport.stepCache(recorded.getMetadata().getNamespace(), team);
                drive.cacheWrites().forEach(cache::keep);
            }
        }
        List<ResultDelivery> applied = seen.results().stream().filter(r -> !decision.early().contains(r)).toList();
        results.acknowledge(ResourceID.fromResource(recorded), applied);
    }

    /** A deleted run's queued tasks are withdrawn; one an agent already took finishes and is discarded. */
    void withdrawAll(ArkRun run) {
        RunStatus status = run.getStatus();
        if (run.getSpec() == null || status == null || status.steps() == null || status.phase() == null
                || status.phase().isFinished()) {
            return;
        }
        String team = run.getSpec().teamName();
        for (StepStatus step : status.steps()) {
            if (step.phase() == StepPhase.Running && step.taskID() != null) {
                // a judge's task (validate.semantic) may sit on another role's stream
                Set<String> roles = step.taskID().endsWith(TaskRequest.JUDGE_SUFFIX) ? RunObserver.roles(status)
                        : Set.of(step.role());
                roles.forEach(role -> withdraw(run, team, role, step.taskID()));
            }
        }
    }

    private void send(ArkRun run, String team, TaskRequest task) {
        String stream = Names.queue(run.getMetadata().getNamespace(), team, task.role());
        String replyTo = Names.results(stream);
        transport.watch(replyTo);
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
        transport.send(stream, message);
    }

    /** Takes the task back unless an agent already holds it (then it finishes); whether it was taken back. */
    private boolean withdraw(ArkRun run, String team, String role, String taskId) {
        return transport.withdraw(Names.queue(run.getMetadata().getNamespace(), team, role), taskId);
    }
}
