package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkKinds;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRegistryStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.http.MetricsAccess;
import dev.arkonis.ark.http.TokenReviewAccess;
import dev.arkonis.ark.operator.agent.AgentBudget;
import dev.arkonis.ark.operator.approval.ApprovalLinkSettings;
import dev.arkonis.ark.operator.agent.AgentDeploymentDependent;
import dev.arkonis.ark.operator.agent.AgentReconciler;
import dev.arkonis.ark.operator.agent.AgentWork;
import dev.arkonis.ark.operator.agent.ApiKeySecretDependent;
import dev.arkonis.ark.operator.agent.BudgetEventSource;
import dev.arkonis.ark.operator.agent.QueueAccess;
import dev.arkonis.ark.operator.agent.QueueCredentialsDependent;
import dev.arkonis.ark.operator.agent.WorkEventSource;
import dev.arkonis.ark.operator.notify.Notifications;
import dev.arkonis.ark.operator.notify.NotifySettings;
import dev.arkonis.ark.operator.registry.RegistryReconciler;
import dev.arkonis.ark.operator.run.RunReconciler;
import dev.arkonis.ark.operator.run.RunSettings;
import dev.arkonis.ark.operator.shard.ShardOwnership;
import dev.arkonis.ark.operator.team.RunHistory;
import dev.arkonis.ark.operator.team.TeamAgentsDependent;
import dev.arkonis.ark.operator.team.TeamReconciler;
import dev.arkonis.ark.operator.trigger.TriggerSettings;
import dev.arkonis.ark.operator.trigger.Triggers;
import dev.arkonis.ark.queue.AclUsers;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisRunTransport;
import dev.arkonis.ark.queue.RedisUnavailableException;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TelemetryVariables;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The operator process's composition root: its settings read once, and every controller, dependent resource, event
 * source and companion (ArkEvent webhooks, approval links, notification delivery) built here with its collaborators. {@code ark
 * operator} assembles it from the environment; the tests assemble the same operator, overriding only what they must
 * (the API server's client, the clock, Redis, telemetry).
 */
public final class OperatorAssembly {
    private static final Duration LEDGER_READ_TIMEOUT = Duration.ofSeconds(2);
    private static final String SERVICE_NAME = "ark-operator";

    public static final Setting<Boolean> METRICS_AUTH = Setting.bool("METRICS_AUTH", false).chart("metrics.auth")
            .means("`true`: `/metrics` answers only a bearer token that TokenReview accepts and SubjectAccessReview"
                    + " allows `get` on `/metrics` (see [Metrics access](#metrics-access)); the chart turns it on");

    /** Every variable the operator reads, in the order the README lists them. */
    public static final ProcessSettings SETTINGS = ProcessSettings.of("operator",
            List.of(RedisEndpoint.URL.chart("taskQueueURL")
                            .means(RedisEndpoint.URL.meaning() + "; handed to every agent pod"),
                    RedisEndpoint.USERNAME.chart("taskQueue.existingSecret")
                            .means("the operator's Redis user (empty: the default user), from a Secret by"
                                    + " `secretKeyRef` (the chart's `ark-redis`, or `taskQueue.existingSecret`)"),
                    RedisEndpoint.PASSWORD.chart("taskQueue.existingSecret"),
                    RedisEndpoint.SENTINEL_PASSWORD.chart("redis.sentinel.enabled")
                            .means(RedisEndpoint.SENTINEL_PASSWORD.meaning() + " (the chart's `ark-redis-sentinel`);"
                                    + " copied into every agent's `<agent>-queue-credentials`")),
            OperatorConfig.SETTINGS,
            List.of(RunSettings.MAX_RUNS_IN_FLIGHT),
            List.of(METRICS_AUTH),
            TriggerSettings.SETTINGS,
            ApprovalLinkSettings.SETTINGS,
            NotifySettings.SETTINGS,
            List.of(EgressPolicy.ALLOWED.chart("egress.allow")
                            .means(EgressPolicy.ALLOWED.meaning() + "; passed on to agents"),
                    EgressPolicy.API_SERVER_HOST),
            List.of(TelemetryVariables.OTLP_ENDPOINT.chart("otel.endpoint")
                            .means(TelemetryVariables.OTLP_ENDPOINT.meaning() + "; passed on to agents with "
                                    + passedOn() + " (OTLP headers are not: they may hold a token)"),
                    TelemetryVariables.OTLP_PROTOCOL.chart("otel.protocol"),
                    TelemetryVariables.CAPTURE_CONTENT.chart("otel.captureContent"),
                    TelemetryVariables.SERVICE_NAME.setBy("the chart: `" + SERVICE_NAME + "`")),
            TelemetryVariables.ALL);

    private final Map<String, String> env;
    private final OperatorConfig config;
    private final TriggerSettings triggerSettings;
    private final NotifySettings notifySettings;
    private final ApprovalLinkSettings linkSettings;
    private final boolean metricsAuth;
    private final int maxRunsInFlight;
    private Clock clock = Clock.systemUTC();
    private KubernetesClient givenClient;
    private RedisConnections givenRedis;
    private boolean runsRuns = true;
    private RunSettings runSettings;
    private Telemetry givenTelemetry;

    private OperatorAssembly(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.config = OperatorConfig.fromEnv(env);
        this.triggerSettings = TriggerSettings.fromEnv(env);
        this.notifySettings = NotifySettings.fromEnv(env);
        this.linkSettings = ApprovalLinkSettings.fromEnv(env, triggerSettings.enabled(),
                triggerSettings.publicBase(config.operatorNamespace()));
        try {
            this.metricsAuth = new Settings(env).get(METRICS_AUTH);
            this.maxRunsInFlight = new Settings(env).get(RunSettings.MAX_RUNS_IN_FLIGHT);
        } catch (InvalidSettingException e) {
            throw new OperatorConfig.InvalidConfigException(e.getMessage());
        }
    }

    /**
     * The operator as these variables configure it.
     *
     * @throws OperatorConfig.InvalidConfigException naming the first setting that is missing or malformed
     */
    public static OperatorAssembly fromEnv(Map<String, String> env) {
        return new OperatorAssembly(env);
    }

    /** The time every part of the operator reads (default: the system's, in UTC). */
    public OperatorAssembly withClock(Clock value) {
        this.clock = value;
        return this;
    }

    /** The API server's client, which the caller closes (default: the kubeconfig's or the pod's, closed on stop). */
    public OperatorAssembly withClient(KubernetesClient value) {
        this.givenClient = value;
        return this;
    }

    /** Redis connections, which the caller closes (default: opened from {@code TASK_QUEUE_URL}, closed on stop). */
    public OperatorAssembly withRedis(RedisConnections value) {
        this.givenRedis = value;
        return this;
    }

    /** For tests of teams and agents alone: no Redis, so agents run unbudgeted and no run is executed. */
    public OperatorAssembly withoutQueue() {
        this.runsRuns = false;
        return this;
    }

    /** Run knobs beyond the variables' (how long outputs stay in Redis); default: the configuration's. */
    public OperatorAssembly withRunSettings(RunSettings value) {
        this.runSettings = value;
        return this;
    }

    /** Where traces and metrics go, which the caller closes (default: as {@code OTEL_*} say, closed on stop). */
    public OperatorAssembly withTelemetry(Telemetry value) {
        this.givenTelemetry = value;
        return this;
    }

    /**
     * The operator, wired and not started.
     *
     * @throws RedisUnavailableException when the operator runs runs and {@code TASK_QUEUE_URL} cannot be reached
     */
    public ArkOperator build() throws RedisUnavailableException {
        // what the operator opens itself it closes when it stops; what a test gives it, the test closes
        List<AutoCloseable> owned = new ArrayList<>();
        RedisConnections redis = !runsRuns ? null
                : givenRedis != null ? givenRedis : own(owned, RedisConnections.open(config.taskQueue()));
        KubernetesClient client = givenClient != null ? givenClient : own(owned, new KubernetesClientBuilder().build());
        ArkKinds.register(client.getKubernetesSerialization());
        Telemetry telemetry = givenTelemetry != null ? givenTelemetry
                : own(owned, Telemetry.fromEnv(env, SERVICE_NAME));
        StatusRecorders statuses = StatusRecorders.of(client, config, clock);
        Notifications notifications = new Notifications(client, statuses, notifySettings, clock, linkSettings);
        // one informer of runs, the run controller's, feeds every controller that cares about runs
        SharedRuns sharedRuns = new SharedRuns();
        Triggers triggers = new Triggers(client, statuses, triggerSettings, config.operatorNamespace(), sharedRuns, clock,
                linkSettings.links());
        Companions companions = new Companions(notifications, triggers,
                metricsAuth ? new TokenReviewAccess(client, clock) : MetricsAccess.OPEN, owned);
        ShardOwnership ownership = ShardOwnership.of(config.shards());
        if (redis == null) {
            return assemble(ownership, client, AgentBudget.NONE, AgentWork.NONE, null, sharedRuns, QueueAccess.none(),
                    statuses, telemetry, companions)
                    .operator();
        }
        RunSettings runs = runSettings != null ? runSettings : new RunSettings(config.outputLimit(),
                config.statusOutputBudget(), RunSettings.DEFAULT.keep(), config.resultClaimIdle(), maxRunsInFlight);
        RunReconciler runReconciler = RunReconciler.create(client,
                RedisRunTransport.on(redis, config.podName(), runs.keep(), runs.resultClaimIdle()),
                statuses.of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME), runs,
                Executors.newSingleThreadExecutor(DaemonThreads.named("ark-run-events")), clock,
                notifications.listener(), telemetry, sharedRuns);
        runReconciler.results().servesOnly(ownership::owns);
        ownership.onAcquired(shard -> runReconciler.results().takeOver(ownership.namespacesOf(shard)));
        // ledger reads give up soon while Redis is away: the budget keeps its last known value meanwhile
        StatefulRedisConnection<String, String> ledger = redis.newConnection();
        ledger.setTimeout(LEDGER_READ_TIMEOUT);
        // so do ACL changes: an agent's pods then wait for their user, and the agent is looked at again
        StatefulRedisConnection<String, String> acl = redis.newConnection();
        acl.setTimeout(LEDGER_READ_TIMEOUT);
        AclUsers users = new AclUsers(acl);
        Assembled assembled = assemble(ownership, client,
                AgentBudget.ledger(ledger, config.budgetWindow(), config::budgetOf), AgentWork.on(ledger), runReconciler,
                sharedRuns, QueueAccess.on(users, config.taskQueue()), statuses, telemetry, companions);
        redis.onReconnect(() -> {
            users.forget();
            assembled.agents().redisReturned();
        });
        return assembled.operator();
    }

    /** What rides with the controllers, and what the operator closes after them. */
    private record Companions(Notifications notifications, Triggers triggers, MetricsAccess metricsAccess,
                              List<AutoCloseable> owned) {
    }

    private record Assembled(ArkOperator operator, AgentReconciler agents) {
    }

    /** @param runs the run controller, or null when this operator runs no runs (a {@link RunCacheKeeper} then feeds {@code sharedRuns}) */
    private Assembled assemble(ShardOwnership ownership, KubernetesClient client, AgentBudget ledger, AgentWork agentWork, RunReconciler runs,
                               SharedRuns sharedRuns, QueueAccess queueAccess, StatusRecorders statuses, Telemetry telemetry,
                               Companions companions) {
        JsonSchemas schemas = new JsonSchemas();
        TeamValidator validator = new TeamValidator(schemas);
        KubeEvents events = new KubeEvents(client, clock);
        UnreadableResources unreadable = new UnreadableResources(client, events);
        BudgetEventSource budgets = new BudgetEventSource(ledger, clock, config::budgetOf);
        WorkEventSource work = new WorkEventSource(agentWork, WorkEventSource.POLL);
        List<Reconciler<?>> reconcilers = new ArrayList<>();
        reconcilers.add(new TeamReconciler(validator, new RunHistory(client), sharedRuns,
                statuses.of(ArkTeam.class, ArkTeamStatus.EMPTY, TeamReconciler.NAME), unreadable, clock));
        AgentReconciler agents = new AgentReconciler(config, budgets, events,
                statuses.of(ArkAgent.class, AgentStatus.EMPTY, AgentReconciler.NAME), unreadable, clock,
                companions.notifications().listener(), queueAccess, work);
        reconcilers.add(agents);
        reconcilers.add(new RegistryReconciler(statuses.of(ArkRegistry.class, ArkRegistryStatus.EMPTY,
                RegistryReconciler.NAME), clock));
        if (runs != null) {
            // a result means its role spent tokens: its budget is read again now, not on a timer
            runs.results().onResultFrom(resultStream -> budgets.usageChanged(queueOf(resultStream)));
            // a task sent to an autoscaled agent at zero starts a pod now; a result may let one go
            runs.onTaskSent(work::workChanged);
            runs.results().onResultFrom(resultStream -> work.workChanged(queueOf(resultStream)));
            reconcilers.add(runs);
        } else {
            reconcilers.add(new RunCacheKeeper(sharedRuns));
        }
        reconcilers.add(companions.triggers().reconciler());
        reconcilers.add(companions.notifications().reconciler());
        // closed once the controllers stopped: deliveries in flight, then the connections, the client, the exporter
        List<AutoCloseable> closedAfterStop = new ArrayList<>(List.of(companions.notifications()));
        closedAfterStop.addAll(companions.owned());
        ArkOperator assembled = new ArkOperator(client, config, reconcilers, Map.of(
                AgentDeploymentDependent.class, () -> new AgentDeploymentDependent(config, clock),
                ApiKeySecretDependent.class, () -> new ApiKeySecretDependent(config),
                QueueCredentialsDependent.class, () -> new QueueCredentialsDependent(queueAccess, config),
                TeamAgentsDependent.class, () -> new TeamAgentsDependent(validator)), telemetry,
                companions.metricsAccess(), companions.triggers(), closedAfterStop, ownership);
        if (runs != null) {
            // a run's reconciles are spans of their own, linked to the run's trace
            assembled.errorLog().linkReconciles(RunReconciler.NAME, runs::traceOf);
        }
        return new Assembled(assembled, agents);
    }

    private static String passedOn() {
        return String.join(", ", TelemetryVariables.PASSED_TO_AGENTS.stream()
                .filter(s -> s != TelemetryVariables.OTLP_ENDPOINT).map(s -> "`" + s.name() + "`").toList());
    }

    private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T closeable) {
        owned.add(closeable);
        return closeable;
    }

    private static String queueOf(String resultStream) {
        return resultStream.endsWith(".results") ? resultStream.substring(0, resultStream.length() - ".results".length())
                : resultStream;
    }
}
