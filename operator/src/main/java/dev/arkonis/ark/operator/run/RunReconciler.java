package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.InvalidTeamException;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.ResultReader;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import dev.arkonis.ark.telemetry.TraceContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * ArkRun: starts a run from a snapshot of its team, dispatches ready steps onto their role streams, applies results
 * as they arrive (each once, acknowledged only after the status holds it), fires timeouts at their exact deadline,
 * and resumes failed runs when the retry annotation changes. The status is the run's only state: after a restart
 * the run is restored from it and the tasks it waits on are sent again, which the queue turns into no-ops.
 */
// not generation-aware: the retry annotation changes metadata only
@ControllerConfiguration(name = "arkrun", generationAwareEventProcessing = false)
public final class RunReconciler implements Reconciler<ArkRun>, Cleaner<ArkRun>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final TaskQueue queue;
    private final RunInbox inbox = new RunInbox();
    private final SimpleInboundEventSource<ArkRun> resultEvents = new SimpleInboundEventSource<>("results");
    private final ResultIntake intake;
    private final RunStatusMapper mapper;
    private final RunEvents events;
    private final RunSettings settings;
    private final Clock clock;
    private final JsonSchemas schemas = new JsonSchemas();
    private final TeamValidator validator = new TeamValidator(schemas);
    private final OutputChecker checker = new OutputChecker(schemas);
    // runs whose waited-on tasks this process has already re-sent once (after a restart)
    private final Set<ResourceID> resent = ConcurrentHashMap.newKeySet();

    /** Hears that an agent's role spent tokens, so its budget is checked at once (no polling loop). */
    @FunctionalInterface
    public interface UsageListener {
        UsageListener NONE = (namespace, agent) -> {
        };

        void usageChanged(String namespace, String agentName);
    }

    private final UsageListener usage;

    public RunReconciler(KubernetesClient client, TaskQueue queue, ResultReader results,
                         OutputStore outputs, RunSettings settings, Clock clock, UsageListener usage) {
        this.client = client;
        this.usage = usage;
        this.queue = queue;
        this.intake = new ResultIntake(results, inbox, resultEvents);
        this.mapper = new RunStatusMapper(outputs, settings.outputLimit());
        this.events = new RunEvents(client, clock);
        this.settings = settings;
        this.clock = clock;
    }

    /** The reconciler on one Redis: commands on the shared connection, result reads on a connection of their own. */
    public static RunReconciler on(KubernetesClient client, RedisConnections redis, String consumer,
                                   RunSettings settings, Clock clock, UsageListener usage) {
        return new RunReconciler(client, new TaskQueue(redis.shared()),
                new ResultReader(redis.newConnection(), redis.shared(), consumer, java.time.Duration.ofSeconds(15)),
                new OutputStore(redis.shared(), settings.keep()), settings, clock, usage);
    }

    public static RunReconciler on(KubernetesClient client, RedisConnections redis, String consumer,
                                   RunSettings settings, Clock clock) {
        return on(client, redis, consumer, settings, clock, UsageListener.NONE);
    }

    @Override
    public List<EventSource<?, ArkRun>> prepareEventSources(EventSourceContext<ArkRun> context) {
        intake.start(id -> context.getPrimaryCache().get(id).isPresent());
        // a role's agent running out of budget (or back in it) changes what its waiting steps say
        InformerEventSource<ArkAgent, ArkRun> agents = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkAgent.class, ArkRun.class)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper((ArkAgent agent) -> unfinishedRunsOfTeam(agent, context))
                        .withPrimaryToSecondaryMapper((ArkRun run) -> agentsOf(run))
                        .build(), context);
        return List.of(resultEvents, agents);
    }

    private static Set<ResourceID> unfinishedRunsOfTeam(ArkAgent agent, EventSourceContext<ArkRun> context) {
        String team = agent.getMetadata().getLabels() == null ? null : agent.getMetadata().getLabels().get(Ark.LABEL_TEAM);
        if (team == null) {
            return Set.of();
        }
        return context.getPrimaryCache().list(agent.getMetadata().getNamespace(),
                        run -> team.equals(teamLabel(run)) && run.getStatus() != null && run.getStatus().phase() != null
                                && !run.getStatus().phase().isFinished())
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static Set<ResourceID> agentsOf(ArkRun run) {
        if (run.getStatus() == null || run.getStatus().teamSpec() == null) {
            return Set.of();
        }
        Set<ResourceID> agents = new java.util.HashSet<>();
        run.getStatus().teamSpec().path("roles").forEach(role -> agents.add(new ResourceID(
                teamOf(run) + "-" + role.path("name").asText(), run.getMetadata().getNamespace())));
        return agents;
    }

    /** What a Running step says while its role's agent has no budget left. */
    private static Map<String, String> waitingOnBudget(Context<ArkRun> context) {
        Map<String, String> waiting = new HashMap<>();
        for (ArkAgent agent : context.getSecondaryResources(ArkAgent.class)) {
            AgentStatus status = agent.getStatus();
            Map<String, String> labels = agent.getMetadata().getLabels();
            if (status == null || status.conditions() == null || labels == null) {
                continue;
            }
            status.conditions().stream()
                    .filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType()) && "True".equals(c.getStatus()))
                    .findFirst()
                    .ifPresent(c -> waiting.put(labels.get(Ark.LABEL_ROLE), RunStatusMapper.WAITING + "agent " + agent.getMetadata().getName()
                            + " is scaled to 0: " + c.getMessage()
                            + (status.budgetResetsAt() == null ? "" : "; it resumes at " + status.budgetResetsAt())));
        }
        return waiting;
    }

    @Override
    public UpdateControl<ArkRun> reconcile(ArkRun run, Context<ArkRun> context) {
        RunStatus status = run.getStatus();
        if (status == null || status.phase() == null) {
            return start(run, context);
        }
        ResourceID id = ResourceID.fromResource(run);
        String retryToken = annotation(run, Ark.ANNOTATION_RETRY);
        boolean retryAsked = retryToken != null && !retryToken.equals(status.observedRetry());
        if (status.phase().isFinished() && !retryAsked) {
            // late or duplicate results of a finished run are acknowledged and discarded
            inbox.drop(id).forEach(intake::ack);
            return UpdateControl.noUpdate();
        }
        Pipeline pipeline;
        ObjectNode input;
        try {
            ArkTeamSpec spec = JSON.treeToValue(status.teamSpec(), ArkTeamSpec.class);
            pipeline = Pipeline.compile(spec, validator);
            input = new InputResolver().resolve(spec.inputList(), run.getSpec().input());
        } catch (Exception e) {
            throw new IllegalStateException("the run's recorded team can no longer be read: " + e.getMessage(), e);
        }
        String team = teamOf(run);
        PipelineRun pipelineRun = PipelineRun.restore(pipeline, run.getMetadata().getName(), input,
                limits(run, pipeline.spec()), checker, mapper.toRecord(status, run.getMetadata().getName(),
                        role -> stream(run, team, role)));
        Instant now = clock.instant();
        List<TaskRequest> toSend = new ArrayList<>();
        boolean firstSight = !resent.contains(id);
        if (firstSight) {
            for (StepState step : pipelineRun.steps()) {
                pipelineRun.currentTask(step.name()).ifPresent(toSend::add);
            }
        }
        String observedRetry = status.observedRetry();
        if (retryAsked) {
            observedRetry = retryToken;
            if (status.phase() == RunPhase.Failed || status.phase() == RunPhase.TimedOut) {
                Set<String> steps = stepsToRetry(run);
                try {
                    toSend.addAll(pipelineRun.retry(steps, now));
                    events.normal(run, "RetryRequested", steps.isEmpty() ? "retrying the failed and skipped steps"
                            : "retrying steps " + String.join(", ", steps));
                } catch (IllegalArgumentException e) {
                    events.warning(run, "RetryRejected", e.getMessage());
                }
            } else {
                events.warning(run, "RetryRejected", "only a Failed or TimedOut run can be retried; this one is "
                        + status.phase());
            }
        }
        toSend.addAll(pipelineRun.resume(now));
        List<ResultDelivery> results = inbox.peek(id);
        for (ResultDelivery delivery : results) {
            toSend.addAll(pipelineRun.onResult(outcome(delivery.result()), now));
        }
        toSend.addAll(pipelineRun.onTime(now));
        return persistAndSend(run, context, status, pipelineRun, toSend, results, observedRetry, now,
                status.teamSpec(), team);
    }

    private UpdateControl<ArkRun> start(ArkRun run, Context<ArkRun> context) {
        Instant now = clock.instant();
        String teamName = run.getSpec() == null ? null : run.getSpec().teamName();
        if (teamName == null || teamName.isBlank()) {
            return failToStart(run, context, "InvalidSpec", "spec.teamRef.name is required", null, now);
        }
        if (!teamName.equals(teamLabel(run))) {
            // the label lets users and ark find a team's runs
            run = client.resource(run).edit(r -> {
                Map<String, String> labels = r.getMetadata().getLabels() == null ? new HashMap<>()
                        : new HashMap<>(r.getMetadata().getLabels());
                labels.put(Ark.LABEL_TEAM, teamName);
                r.getMetadata().setLabels(labels);
                return r;
            });
        }
        ArkTeam team = client.resources(ArkTeam.class).inNamespace(run.getMetadata().getNamespace())
                .withName(teamName).get();
        if (team == null || team.getSpec() == null) {
            return failToStart(run, context, "TeamNotFound", "team \"" + teamName + "\" not found in namespace "
                    + run.getMetadata().getNamespace(), null, now);
        }
        JsonNode snapshot = JSON.valueToTree(team.getSpec());
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(team.getSpec(), validator);
        } catch (InvalidTeamException e) {
            return failToStart(run, context, "InvalidTeam", "team " + teamName + " is invalid: "
                    + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")), snapshot, now);
        }
        ObjectNode input;
        try {
            input = new InputResolver().resolve(team.getSpec().inputList(), run.getSpec().input());
        } catch (InvalidInputException e) {
            return failToStart(run, context, "InvalidInput", e.getMessage(), snapshot, now);
        }
        PipelineRun pipelineRun = new PipelineRun(pipeline, run.getMetadata().getName(), input,
                limits(run, team.getSpec()), checker);
        List<TaskRequest> tasks = pipelineRun.start(now);
        events.normal(run, "RunStarted", "run of team " + teamName + " started with " + pipeline.steps().size() + " step(s)");
        return persistAndSend(run, context, null, pipelineRun, tasks, List.of(), annotation(run, Ark.ANNOTATION_RETRY),
                now, snapshot, teamName);
    }

    private UpdateControl<ArkRun> persistAndSend(ArkRun run, Context<ArkRun> context, RunStatus previous,
                                                 PipelineRun pipelineRun, List<TaskRequest> toSend,
                                                 List<ResultDelivery> applied, String observedRetry, Instant now,
                                                 JsonNode teamSpec, String team) {
        List<StepState> changes = pipelineRun.drainChanges();
        RunStatus next = mapper.toStatus(pipelineRun, previous, teamSpec, observedRetry,
                run.getMetadata().getGeneration(), role -> stream(run, team, role), waitingOnBudget(context), now);
        if (!next.equals(previous)) {
            // the status first: a crash before sending is repaired by re-sending; a result is acked only once held
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(run, context, r -> {
                r.setStatus(next);
                return r;
            });
        }
        for (TaskRequest task : new LinkedHashSet<>(toSend)) {
            send(run, team, task);
        }
        // a step given up (timed out, abandoned) should not cost tokens later: its queued task is withdrawn
        changes.stream().filter(step -> step.phase() == StepPhase.Failed && step.taskId() != null)
                .forEach(step -> queue.withdraw(stream(run, team, step.role()), step.taskId()));
        resent.add(ResourceID.fromResource(run));
        applied.forEach(intake::ack);
        inbox.remove(ResourceID.fromResource(run), applied);
        applied.stream().map(d -> d.result().copied().get(ResultIntake.STEP)).map(pipelineRun.pipeline()::step)
                .filter(Objects::nonNull).map(step -> step.role().name()).distinct()
                .forEach(role -> usage.usageChanged(run.getMetadata().getNamespace(), team + "-" + role));
        changes.forEach(step -> events.step(run, step));
        if (pipelineRun.phase().isFinished() && (previous == null || !previous.phase().isFinished() || !changes.isEmpty())) {
            events.runEnded(run, pipelineRun.phase(), pipelineRun.message());
        }
        UpdateControl<ArkRun> control = UpdateControl.noUpdate();
        return pipelineRun.nextDeadline()
                .map(deadline -> control.rescheduleAfter(Math.max(1, Duration.between(clock.instant(), deadline).toMillis())))
                .orElse(control);
    }

    private UpdateControl<ArkRun> failToStart(ArkRun run, Context<ArkRun> context, String reason, String message,
                                              JsonNode teamSpec, Instant now) {
        RunStatus status = RunStatusMapper.failedToStart(reason, message, teamSpec, run.getMetadata().getGeneration(), now);
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(run, context, r -> {
            r.setStatus(status);
            return r;
        });
        events.warning(run, "Run" + reason, message);
        return UpdateControl.noUpdate();
    }

    private void send(ArkRun run, String team, TaskRequest task) {
        String stream = stream(run, team, task.role());
        String replyTo = new RoleKeys(stream).results();
        intake.watch(replyTo);
        Map<String, String> extra = new HashMap<>();
        extra.put(ResultIntake.RUN, run.getMetadata().getName());
        extra.put(ResultIntake.NAMESPACE, run.getMetadata().getNamespace());
        extra.put(ResultIntake.STEP, task.step());
        extra.put(ResultIntake.ATTEMPT, Integer.toString(task.attempt()));
        extra.put("team", team);
        TaskMessage message = TaskMessage.of(task.taskId(), task.prompt(), replyTo)
                .withDeadline(task.deadline())
                .withMaxTokens(task.maxTokensPerCall())
                .withTraceparent(TraceContext.traceparent(String.valueOf(run.getMetadata().getUid()), task.taskId()))
                .withExtra(extra);
        if (task.outputSchema() != null) {
            message = message.withOutputSchema(task.outputSchema());
        }
        queue.dispatchOnce(stream, message, settings.keep());
    }

    @Override
    public DeleteControl cleanup(ArkRun run, Context<ArkRun> context) {
        ResourceID id = ResourceID.fromResource(run);
        RunStatus status = run.getStatus();
        if (status != null && status.steps() != null && status.phase() != null && !status.phase().isFinished()) {
            String team = teamOf(run);
            // queued tasks of a deleted run are withdrawn; one an agent already took finishes and is discarded
            status.steps().stream().filter(s -> s.phase() == StepPhase.Running && s.taskID() != null)
                    .forEach(s -> queue.withdraw(stream(run, team, s.role()), s.taskID()));
        }
        inbox.drop(id).forEach(intake::ack);
        resent.remove(id);
        return DeleteControl.defaultDelete();
    }

    private static TaskOutcome outcome(TaskResult result) {
        String step = result.copied().get(ResultIntake.STEP);
        int attempt = Integer.parseInt(result.copied().getOrDefault(ResultIntake.ATTEMPT, "0"));
        TokenUsage usage = TokenUsage.of(result.inputTokens(), result.outputTokens());
        return result.status() == TaskStatus.SUCCEEDED
                ? TaskOutcome.success(step, attempt, result.output(), usage)
                : TaskOutcome.failure(step, attempt, result.error(), usage);
    }

    private static RunLimits limits(ArkRun run, ArkTeamSpec team) {
        return RunLimits.of(team, run.getSpec().timeoutSeconds(), run.getSpec().maxTokens());
    }

    /** A role's task stream: {@code <namespace>.<team>.<role>}. */
    static String stream(ArkRun run, String team, String role) {
        return run.getMetadata().getNamespace() + "." + team + "." + role;
    }

    private static String teamOf(ArkRun run) {
        return run.getSpec().teamName();
    }

    private static String teamLabel(ArkRun run) {
        Map<String, String> labels = run.getMetadata().getLabels();
        return labels == null ? null : labels.get(Ark.LABEL_TEAM);
    }

    private static String annotation(ArkRun run, String key) {
        Map<String, String> annotations = run.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Set<String> stepsToRetry(ArkRun run) {
        String steps = annotation(run, Ark.ANNOTATION_RETRY_STEPS);
        if (steps == null || steps.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(steps.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public void close() {
        intake.close();
    }
}
