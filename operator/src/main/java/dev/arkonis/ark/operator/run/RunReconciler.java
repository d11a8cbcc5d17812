package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.UnreadableResources;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.ResultReader;
import dev.arkonis.ark.queue.TaskQueue;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import dev.arkonis.ark.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ArkRun, as observe → decide → record → dispatch: the results, agents and retry annotation a run sees; the pure
 * engine driven by them; the status recorded (only when it changed, outputs offloaded); then tasks sent and taken
 * back, and results acknowledged once the status holds them. The engine stays in memory between events; after a
 * restart a run is restored from its status and the tasks it waits on are sent again, which the queue turns into
 * no-ops.
 */
// not generation-aware: the retry annotation changes metadata only
@ControllerConfiguration(name = "arkrun", generationAwareEventProcessing = false)
public final class RunReconciler implements Reconciler<ArkRun>, Cleaner<ArkRun> {
    /** How soon a run with results its copy could not apply yet is looked at again, if no newer copy came first. */
    private static final Duration EARLY_RESULT_RECHECK = Duration.ofMillis(200);

    private final RunStarter starter;
    private final RunObserver observer;
    private final LiveRuns liveRuns;
    private final RunDriver driver;
    private final RunStatusRecorder recorder;
    private final TaskDispatcher dispatcher;
    private final RunEvents events;
    private final ResultEventSource results;
    private final UnreadableResources unreadable;
    private final Clock clock;
    private final RunTelemetry telemetry;

    private final ArkLifecycle lifecycle;

    RunReconciler(RunStarter starter, RunObserver observer, LiveRuns liveRuns, RunDriver driver,
                  RunStatusRecorder recorder, TaskDispatcher dispatcher, RunEvents events, ResultEventSource results,
                  UnreadableResources unreadable, Clock clock, ArkLifecycle lifecycle, RunTelemetry telemetry) {
        this.telemetry = telemetry;
        this.starter = starter;
        this.observer = observer;
        this.liveRuns = liveRuns;
        this.driver = driver;
        this.recorder = recorder;
        this.dispatcher = dispatcher;
        this.events = events;
        this.results = results;
        this.unreadable = unreadable;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** The reconciler on one Redis: commands on the shared connection, result reads on a connection of their own. */
    public static RunReconciler on(KubernetesClient client, RedisConnections redis, String consumer,
                                   RunSettings settings, Clock clock) {
        return on(client, redis, consumer, settings, clock, ArkLifecycle.NONE, Telemetry.none());
    }

    /** @param lifecycle told when a run finishes and when a step fails (notifications) */
    public static RunReconciler on(KubernetesClient client, RedisConnections redis, String consumer,
                                   RunSettings settings, Clock clock, ArkLifecycle lifecycle) {
        return on(client, redis, consumer, settings, clock, lifecycle, Telemetry.none());
    }

    /** @param telemetry where the runs' spans, step transitions and counters go */
    public static RunReconciler on(KubernetesClient client, RedisConnections redis, String consumer,
                                   RunSettings settings, Clock clock, ArkLifecycle lifecycle, Telemetry telemetry) {
        ResultEventSource results = new ResultEventSource(new ResultReader(redis.newConnection(), redis.shared(),
                consumer, settings.resultClaimIdle()), telemetry);
        return assemble(client, new TaskQueue(redis.shared()), results, new OutputStore(redis.shared(), settings.keep()),
                settings, StatusWriter.JOSDK, RunEvents.inOrder(), clock, lifecycle, telemetry);
    }

    static RunReconciler assemble(KubernetesClient client, TaskQueue queue, ResultEventSource results,
                                  OutputStore outputs, RunSettings settings, StatusWriter writer,
                                  java.util.concurrent.Executor eventWriter, Clock clock, ArkLifecycle lifecycle) {
        return assemble(client, queue, results, outputs, settings, writer, eventWriter, clock, lifecycle,
                Telemetry.none());
    }

    static RunReconciler assemble(KubernetesClient client, TaskQueue queue, ResultEventSource results,
                                  OutputStore outputs, RunSettings settings, StatusWriter writer,
                                  java.util.concurrent.Executor eventWriter, Clock clock, ArkLifecycle lifecycle,
                                  Telemetry telemetry) {
        JsonSchemas schemas = new JsonSchemas();
        TeamValidator validator = new TeamValidator(schemas);
        OutputChecker checker = new OutputChecker(schemas);
        RunStatusMapper mapper = new RunStatusMapper(outputs);
        KubeEvents events = new KubeEvents(client, clock);
        return new RunReconciler(new RunStarter(client, validator, checker), new RunObserver(results::dataLosses),
                new LiveRuns(validator, checker, mapper), new RunDriver(),
                new RunStatusRecorder(mapper, outputs, new OutputBudget(settings.outputLimit(), settings.statusOutputBudget()),
                        writer),
                new TaskDispatcher(queue, results, settings.keep()), new RunEvents(events, eventWriter), results,
                new UnreadableResources(client, events), clock, lifecycle, new RunTelemetry(telemetry));
    }

    /** How many times a run had to be restored from its status: once per run and process, not once per event. */
    long restores() {
        return liveRuns.restores();
    }

    /** Where results come from; other controllers may listen to it (results tell the budget to look again). */
    public ResultEventSource results() {
        return results;
    }

    @Override
    public List<EventSource<?, ArkRun>> prepareEventSources(EventSourceContext<ArkRun> context) {
        results.bind(context.getPrimaryCache());
        // a role's agent running out of budget (or back in it) changes what its waiting steps say
        InformerEventSource<ArkAgent, ArkRun> agents = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ArkAgent.class, ArkRun.class)
                        .withName(RunObserver.AGENTS)
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper((ArkAgent agent) -> unfinishedRunsOfTeam(agent, context))
                        .withPrimaryToSecondaryMapper((ArkRun run) -> agentsOf(run))
                        // usage changes with every result; only a budget running out or coming back matters here
                        .withOnUpdateFilter((ArkAgent now, ArkAgent before) -> !RunObserver.waitingOnBudget(Set.of(now))
                                .equals(RunObserver.waitingOnBudget(Set.of(before))))
                        .build(), context);
        observer.bind(agents::get);
        results.bindAgents(agents::get);
        return List.of(results, agents);
    }

    @Override
    public UpdateControl<ArkRun> reconcile(ArkRun run, Context<ArkRun> context) {
        ResourceID id = ResourceID.fromResource(run);
        Instant now = clock.instant();
        if (run.getSpec() == null) {
            unreadable.specUnreadable(run, dev.arkonis.ark.api.RunSpec.class);
            return UpdateControl.noUpdate();
        }
        if (run.getStatus() != null && run.getStatus().isUnreadable()) {
            unreadable.statusUnreadable(run, run.getStatus().message());
            return UpdateControl.noUpdate();
        }
        telemetry.linkReconcile(run);
        try {
            RunStatus status = run.getStatus();
            if (status == null || status.phase() == null) {
                return start(run, context, now);
            }
            if (status.phase().isFinished() && !retryAsked(run)) {
                // late or duplicate results of a finished run are acknowledged and discarded; one for an attempt
                // this copy has not seen (a retry it does not know of yet) waits for the newer copy
                List<ResultDelivery> seenResults = observer.results(run, context).results();
                List<ResultDelivery> early = seenResults.stream().filter(r -> RunDriver.aheadOf(status, r)).toList();
                results.acknowledge(id, seenResults.stream().filter(r -> !early.contains(r)).toList());
                liveRuns.forget(id);
                return early.isEmpty() ? UpdateControl.noUpdate()
                        : UpdateControl.<ArkRun>noUpdate().rescheduleAfter(EARLY_RESULT_RECHECK.toMillis());
            }
            LiveRun live = liveRuns.of(run);
            RunObservation seen = observe(run, live, context);
            Decision decision = driver.decide(live, seen, now);
            return carryOut(run, live, decision, seen, context, now);
        } catch (RuntimeException e) {
            liveRuns.forget(id);
            throw e;
        }
    }

    private UpdateControl<ArkRun> start(ArkRun run, Context<ArkRun> context, Instant now) {
        RunStarter.Start start = starter.start(run, now);
        if (start instanceof RunStarter.Refused refused) {
            RunStatus failed = RunStatusMapper.failedToStart(refused.reason(), refused.message(),
                    refused.teamSpec(), run.getMetadata().getGeneration(), now);
            recorder.recordRefusal(refused.run(), failed, context);
            events.refused(refused.run(), refused.reason(), refused.message());
            lifecycle.runFinished(refused.run(), failed);
            return UpdateControl.noUpdate();
        }
        RunStarter.Started started = (RunStarter.Started) start;
        liveRuns.started(started.run(), started.live(), started.pipeline());
        Decision decision = driver.started(started.live(), started.tasks(), results.dataLosses());
        RunObservation seen = observe(started.run(), started.live(), context);
        return carryOut(started.run(), started.live(), decision, seen, context, now);
    }

    /** Record, dispatch, announce: whatever a crash interrupts is repaired by doing it again. */
    private UpdateControl<ArkRun> carryOut(ArkRun run, LiveRun live, Decision decision, RunObservation seen,
                                           Context<ArkRun> context, Instant now) {
        RunStatus before = run.getStatus();
        ArkRun recorded = recorder.record(run, live, seen, context, now);
        for (TaskRequest task : decision.toSend()) {
            telemetry.sent(recorded, task, now);
            dispatcher.send(recorded, live.team, task);
        }
        telemetry.recorded(recorded, live.team, before, seen, decision.changes(), now);
        for (StepState step : decision.withdraw()) {
            dispatcher.withdraw(recorded, live.team, live.engine.queueRole(step), step.taskId());
        }
        ResourceID id = ResourceID.fromResource(run);
        results.acknowledge(id, seen.results().stream().filter(r -> !decision.early().contains(r)).toList());
        announce(recorded, live, decision, before);
        tellLifecycle(recorded, decision, before);
        if (live.engine.phase().isFinished() || !decision.early().isEmpty()) {
            liveRuns.forget(id);
        }
        UpdateControl<ArkRun> control = UpdateControl.noUpdate();
        if (!decision.early().isEmpty()) {
            // the newer copy of the run is on its way from the API server; look again soon in any case
            return control.rescheduleAfter(EARLY_RESULT_RECHECK.toMillis());
        }
        return live.engine.nextDeadline()
                .map(deadline -> control.rescheduleAfter(Math.max(1, Duration.between(clock.instant(), deadline).toMillis())))
                .orElse(control);
    }

    private void announce(ArkRun run, LiveRun live, Decision decision, RunStatus before) {
        String retry = String.valueOf(live.observedRetry);
        if (before == null || before.phase() == null) {
            events.started(run, live.team, live.engine.steps().size());
        }
        decision.notes().forEach(note -> events.note(run, note));
        if (!live.announced) {
            events.recorded(run, retry, live.engine);
            live.announced = true;
            return;
        }
        decision.changes().forEach(step -> events.step(run, retry, step));
        RunPhase phase = live.engine.phase();
        if (phase.isFinished() && (before == null || before.phase() != phase || !decision.changes().isEmpty())) {
            events.ended(run, retry, phase, live.engine.message());
        }
    }

    /** Failed steps and a run that has just finished are told to the listeners (notifications), once each. */
    private void tellLifecycle(ArkRun run, Decision decision, RunStatus before) {
        RunStatus now = run.getStatus();
        decision.changes().stream().filter(step -> step.phase() == StepPhase.Failed)
                .forEach(step -> lifecycle.stepFailed(run, now, step.name(), step.message()));
        boolean wasFinished = before != null && before.phase() != null && before.phase().isFinished();
        if (now != null && now.phase() != null && now.phase().isFinished() && !wasFinished) {
            lifecycle.runFinished(run, now);
        }
    }

    private RunObservation observe(ArkRun run, LiveRun live, Context<ArkRun> context) {
        return observer.observe(run, live.team, live.engine.pipeline().spec().roleList().stream()
                .map(dev.arkonis.ark.api.TeamRole::name).toList(), context);
    }

    private static boolean retryAsked(ArkRun run) {
        String token = RunObserver.annotation(run, Ark.ANNOTATION_RETRY);
        return token != null && !token.equals(run.getStatus().observedRetry());
    }

    @Override
    public ErrorStatusUpdateControl<ArkRun> updateErrorStatus(ArkRun run, Context<ArkRun> context, Exception e) {
        liveRuns.forget(ResourceID.fromResource(run));
        // after a conflict this copy is stale: a status written from it would undo a newer one (an upgrade's old replica)
        if (ReconcileErrors.isConflict(e) || ReconcileErrors.nothingToReport(e, ReconcileErrors.attempt(context)).isPresent()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        events.reconcileFailed(run, ReconcileErrors.describe(e));
        RunStatus status = run.getStatus() == null ? new RunStatus(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null) : run.getStatus();
        run.setStatus(new RunStatus(status.phase(), status.startTime(), status.completionTime(), status.deadline(),
                status.steps(), status.stepsDone(), status.output(), status.outputTruncated(), status.totalTokenUsage(),
                status.failedStep(), status.message(), status.reason(),
                ReconcileErrors.failed(status.conditions(), e, run.getMetadata().getGeneration(), clock.instant()),
                status.teamSpec(), status.observedRetry(), status.observedGeneration()));
        return ErrorStatusUpdateControl.patchStatus(run);
    }

    @Override
    public DeleteControl cleanup(ArkRun run, Context<ArkRun> context) {
        ResourceID id = ResourceID.fromResource(run);
        RunStatus status = run.getStatus();
        if (run.getSpec() != null && status != null && status.steps() != null && status.phase() != null
                && !status.phase().isFinished()) {
            String team = run.getSpec().teamName();
            // queued tasks of a deleted run are withdrawn; one an agent already took finishes and is discarded
            for (StepStatus step : status.steps()) {
                if (step.phase() == StepPhase.Running && step.taskID() != null) {
                    // a judge's task (validate.semantic) may sit on another role's stream
                    Set<String> roles = step.taskID().endsWith(TaskRequest.JUDGE_SUFFIX) ? rolesOf(status) : Set.of(step.role());
                    roles.forEach(role -> dispatcher.withdraw(run, team, role, step.taskID()));
                }
            }
        }
        results.forget(id);
        liveRuns.forget(id);
        telemetry.forget(run);
        return DeleteControl.defaultDelete();
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

    private static Set<String> rolesOf(RunStatus status) {
        Set<String> roles = new HashSet<>();
        if (status.teamSpec() != null) {
            status.teamSpec().path("roles").forEach(role -> roles.add(role.path("name").asText()));
        }
        return roles;
    }

    private static Set<ResourceID> agentsOf(ArkRun run) {
        if (run.getStatus() == null || run.getStatus().teamSpec() == null || run.getSpec() == null) {
            return Set.of();
        }
        Set<ResourceID> agents = new HashSet<>();
        run.getStatus().teamSpec().path("roles").forEach(role -> agents.add(new ResourceID(
                Names.agent(run.getSpec().teamName(), role.path("name").asText()), run.getMetadata().getNamespace())));
        return agents;
    }

    private static String teamLabel(ArkRun run) {
        Map<String, String> labels = run.getMetadata().getLabels();
        return labels == null ? null : labels.get(Ark.LABEL_TEAM);
    }

}
