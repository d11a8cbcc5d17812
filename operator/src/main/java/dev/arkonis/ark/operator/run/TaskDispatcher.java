package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.DelegationReply;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.RunTransport;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.telemetry.TraceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries out what a reconcile decided, once its status holds it: puts the run's tasks on their agents' streams (each
 * task id at most once, so sending again after a crash or a loss of Redis data is safe) with the run's coordinates
 * copied into the result and the built-in tools the task's model is offered, takes back tasks no agent took yet (a
 * cancelled run's step whose task came back ends at once), hands the answers of delegate calls to the callers' agents,
 * keeps the answers the step cache should, and acknowledges the results the status now holds.
 */
final class TaskDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunTransport transport;
    private final ResultEventSource results;
    private final RunTelemetry telemetry;
    private final Function<ResourceID, Optional<ArkAgent>> agents;
    private final List<Consumer<String>> sentListeners = new CopyOnWriteArrayList<>();

    TaskDispatcher(RunTransport transport, ResultEventSource results, RunTelemetry telemetry,
                   Function<ResourceID, Optional<ArkAgent>> agents) {
        this.transport = transport;
        this.results = results;
        this.telemetry = telemetry;
        this.agents = agents;
    }

    /** Called with the stream of every task sent, e.g. so that an autoscaled agent at zero starts at once. */
    void onSent(Consumer<String> listener) {
        sentListeners.add(listener);
    }

    /** @param recorded the run as its status now records the decision */
    void carryOut(ArkRun recorded, Decision decision, RunObservation seen, Instant now) {
        if (decision instanceof Decision.Refuse) {
            return;
        }
        if (decision instanceof Decision.Drive drive) {
            String team = drive.live().team;
            String namespace = recorded.getMetadata().getNamespace();
            for (TaskRequest task : drive.toSend()) {
                telemetry.sent(recorded, task, now);
                send(recorded, team, task);
            }
            for (StepState step : drive.withdraw()) {
                if (transport.withdraw(drive.live().engine.queueOf(step).queue(namespace, team), step.taskId())
                        && drive.live().engine.control().cancelled()) {
                    // no agent will answer it: the cancelled run's step ends now, and its status says so next
                    drive.live().engine.taskWithdrawn(step.name(), now);
                    drive.live().unrecorded = true;
                }
            }
            for (DelegationReply reply : drive.replies()) {
                // the caller's agent waits on its own queue's reply list for the call's answer
                StepState caller = drive.live().engine.step(reply.step());
                String queue = drive.live().engine.queueOf(caller).queue(namespace, team);
                transport.reply(new RoleKeys(queue).reply(reply.taskId(), reply.call()), reply.text());
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
            if ((step.phase() == StepPhase.Running || step.phase() == StepPhase.WarmingUp) && step.taskID() != null) {
                // a judge's or router's task sits on another agent's stream than the step's own
                StepQueues.of(run, team, step.name(), step.taskID(), agents)
                        .ifPresent(queue -> transport.withdraw(queue, step.taskID()));
            }
        }
    }

    private void send(ArkRun run, String team, TaskRequest task) {
        String stream = task.agent().queue(run.getMetadata().getNamespace(), team);
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
        if (!task.tools().isEmpty()) {
            message = message.withBuiltinTools(task.tools().delegates(),
                    task.tools().route().isEmpty() ? null : JSON.valueToTree(task.tools().route()).toString());
        }
        transport.send(stream, message);
        sentListeners.forEach(listener -> listener.accept(stream));
    }
}
