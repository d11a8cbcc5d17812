package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.UnreadableResources;
import dev.arkonis.ark.queue.RunTransport;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TraceContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ArkRun, one event at a time: guard → admit → observe → decide → record → dispatch → reschedule (or delete, once a
 * finished run's time to live is up). The guard skips a run ark
 * cannot read; a run not started waits, its place in line in its status, while as many runs as the in-flight limit
 * allows are in flight, and is woken when one of them finishes; the observer gathers its results, agents, budget and retry; the driver decides with the pure engine;
 * the recorder writes the status (outputs offloaded), Events and notifications; the dispatcher sends and takes back
 * tasks and acknowledges the results the status now holds; the schedule keeps the engine for the next event. After a
 * restart a run is restored from its status and the tasks it waits on are sent again, which the queue turns into
 * no-ops; a reconcile that fails keeps nothing, and the next one starts again from the status. A run carries no
 * finalizer (its start is one write, its deletion none, and deleting it never waits for an operator): the delete
 * event withdraws its queued tasks and drops what the operator kept of it, in memory and in Redis.
 */
// not generation-aware: the retry annotation changes metadata only; every event, deletions too, comes to reconcile
// the cache keeps runs without their managedFields (RunStore): most of a cached run's memory
@ControllerConfiguration(name = RunReconciler.NAME, generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true, informer = @Informer(itemStore = RunStore.class))
public final class RunReconciler implements Reconciler<ArkRun> {
    public static final String NAME = "arkrun";
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final RunGuard guard;
    private final RunObserver observer;
    private final RunDriver driver;
    private final RunRecorder recorder;
    private final TaskDispatcher dispatcher;
    private final RunSchedule schedule;
    private final ResultEventSource results;
    private final StatusRecorder<ArkRun, RunStatus> statuses;
    private final RunExpiry expiry;
    private final Clock clock;
    private final RunAdmission admission;
    private final RunWakeups wakeups;
    private final SharedRuns sharedRuns;
    private volatile IndexedResourceCache<ArkRun> runs;

    private RunReconciler(RunGuard guard, RunObserver observer, RunDriver driver, RunRecorder recorder,
                          TaskDispatcher dispatcher, RunSchedule schedule, ResultEventSource results,
                          StatusRecorder<ArkRun, RunStatus> statuses, RunExpiry expiry, Clock clock,
                          RunAdmission admission, RunWakeups wakeups, SharedRuns sharedRuns) {
        this.guard = guard;
        this.sharedRuns = sharedRuns;
        this.admission = admission;
        this.wakeups = wakeups;
        this.observer = observer;
        this.driver = driver;
        this.recorder = recorder;
        this.dispatcher = dispatcher;
        this.schedule = schedule;
        this.results = results;
        this.statuses = statuses;
        this.expiry = expiry;
        this.clock = clock;
    }

    /**
     * The run controller, wired: the one place its stages are built.
     *
     * @param transport   where tasks go, results come from and whole outputs are kept (Redis in a cluster)
     * @param eventWriter writes the runs' Events one after the other, so an Event never delays a step
     * @param lifecycle   told when a run finishes and when a step fails (notifications)
     * @param telemetry   where the runs' spans, step transitions and counters go
     * @param sharedRuns  fed by this controller's informer: the other controllers that care about runs read it
     */
    public static RunReconciler create(KubernetesClient client, RunTransport transport,
                                       StatusRecorder<ArkRun, RunStatus> statuses, RunSettings settings,
                                       Executor eventWriter, Clock clock, ArkLifecycle lifecycle, Telemetry telemetry,
                                       SharedRuns sharedRuns) {
        JsonSchemas schemas = new JsonSchemas();
        OutputChecker checker = new OutputChecker(schemas);
        TeamValidator validator = new TeamValidator(schemas);
        RunStatusMapper mapper = new RunStatusMapper(transport);
        LiveRuns liveRuns = new LiveRuns(validator, checker, mapper);
        KubeEvents events = new KubeEvents(client, clock);
        RunTelemetry runTelemetry = new RunTelemetry(telemetry);
        ResultEventSource results = new ResultEventSource(transport, telemetry);
        RunObserver observer = new RunObserver(client, results::dataLosses, mapper);
        results.bindAgents(observer::agent);
        RunWakeups wakeups = new RunWakeups();
        return new RunReconciler(
                new RunGuard(new UnreadableResources(client, events)),
                observer,
                new RunDriver(new RunStarter(validator, checker), liveRuns,
                        new CachedSteps(transport, new PromptSalts(client)), new RunDirectories(transport)),
                new RunRecorder(client, new RunStatusRecorder(mapper, transport,
                        new OutputBudget(settings.outputLimit(), settings.statusOutputBudget()), statuses),
                        new RunEvents(events, eventWriter), lifecycle, runTelemetry),
                new TaskDispatcher(transport, results, runTelemetry, observer::agent),
                new RunSchedule(liveRuns, clock),
                results, statuses, new RunExpiry(client), clock,
                new RunAdmission(settings.maxInFlight(), wakeups::wake), wakeups, sharedRuns);
    }

    @Override
    public UpdateControl<ArkRun> reconcile(ArkRun run, Context<ArkRun> context) {
        if (context.isPrimaryResourceDeleted()) {
            forgetDeleted(run);
            return UpdateControl.noUpdate();
        }
        if (run.isMarkedForDeletion()) {
            forget(run);
            recorder.released(run);
            return UpdateControl.noUpdate();
        }
        if (!guard.admits(run)) {
            return UpdateControl.noUpdate();
        }
        Instant now = clock.instant();
        if (!RunStatus.started(run.getStatus())) {
            RunAdmission.Verdict verdict = admission.admit(run);
            if (!verdict.admitted()) {
                recorder.held(run, verdict, context, now);
                return UpdateControl.<ArkRun>noUpdate().rescheduleAfter(RunAdmission.RECHECK.toMillis());
            }
        }
        RunObservation seen = observer.observe(run, context);
        Decision decision = driver.decide(run, seen, now);
        ArkRun recorded = recorder.record(run, decision, seen, context, now);
        dispatcher.carryOut(recorded, decision, seen, now);
        if (!finished(run) && finished(recorded)) {
            admission.released();
        }
        return expiry.apply(recorded, schedule.next(recorded, decision), now);
    }

    @Override
    public ErrorStatusUpdateControl<ArkRun> updateErrorStatus(ArkRun run, Context<ArkRun> context, Exception e) {
        return statuses.failed(run, context, e);
    }

    /** The run is gone, so no retry could come back to it: a task that cannot be withdrawn now runs for nothing. */
    private void forgetDeleted(ArkRun run) {
        try {
            forget(run);
        } catch (RuntimeException e) {
            LOG.warn("run {}/{} was deleted; its queued tasks could not be withdrawn: {}",
                    run.getMetadata().getNamespace(), run.getMetadata().getName(), e.getMessage());
        }
    }

    /** The run is deleted (or being deleted): its queued tasks are withdrawn and nothing of it is kept. */
    private void forget(ArkRun run) {
        dispatcher.withdrawAll(run);
        results.forget(ResourceID.fromResource(run));
        schedule.forget(run);
        recorder.forget(run);
        admission.released();
    }

    private static boolean finished(ArkRun run) {
        RunStatus status = run.getStatus();
        return status != null && status.phase() != null && status.phase().isFinished();
    }

    @Override
    public List<EventSource<?, ArkRun>> prepareEventSources(EventSourceContext<ArkRun> context) {
        runs = context.getPrimaryCache();
        results.bind(runs);
        admission.bind(runs);
        return List.of(results, wakeups, observer.agentSource(context), observer.registrySource(context),
                sharedRuns.source(context));
    }

    /** Where results come from; other controllers may listen to it (results tell the budget to look again). */
    public ResultEventSource results() {
        return results;
    }

    /** Called with the stream of every task sent (an autoscaled agent at zero then starts at once). */
    public void onTaskSent(java.util.function.Consumer<String> listener) {
        dispatcher.onSent(listener);
    }

    /** The trace of the run: each reconcile of it is a span of its own, linked to it (see ReconcileErrorLog). */
    public Optional<SpanContext> traceOf(ResourceID run) {
        IndexedResourceCache<ArkRun> cache = runs;
        return cache == null ? Optional.empty()
                : cache.get(run).map(found -> TraceContext.runSpan(String.valueOf(found.getMetadata().getUid())));
    }

    /** How many times a run had to be restored from its status: once per run and process, not once per event. */
    long restores() {
        return driver.restores();
    }
}
