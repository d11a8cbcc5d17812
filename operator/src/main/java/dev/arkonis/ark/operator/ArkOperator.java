package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.http.HealthServer;
import dev.arkonis.ark.http.MetricsAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.agent.AgentBudget;
import dev.arkonis.ark.operator.agent.AgentDeploymentDependent;
import dev.arkonis.ark.operator.agent.AgentReconciler;
import dev.arkonis.ark.operator.agent.ApiKeySecretDependent;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRegistryStatus;
import dev.arkonis.ark.operator.agent.AgentWork;
import dev.arkonis.ark.operator.registry.RegistryReconciler;
import dev.arkonis.ark.operator.agent.BudgetEventSource;
import dev.arkonis.ark.operator.agent.WorkEventSource;
import dev.arkonis.ark.operator.agent.QueueAccess;
import dev.arkonis.ark.operator.agent.QueueCredentialsDependent;
import dev.arkonis.ark.operator.run.RunReconciler;
import dev.arkonis.ark.operator.run.RunSettings;
import dev.arkonis.ark.operator.team.RunHistory;
import dev.arkonis.ark.operator.team.TeamAgentsDependent;
import dev.arkonis.ark.operator.team.TeamReconciler;
import dev.arkonis.ark.queue.AclUsers;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisRunTransport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lettuce.core.api.StatefulRedisConnection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import dev.arkonis.ark.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process's composition root: every controller, dependent resource and event source is built here with
 * its collaborators, JOSDK is configured in one place, leader election holds the {@code ark-operator} Lease, and the
 * health endpoints answer.
 */
public final class ArkOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final Duration LEDGER_READ_TIMEOUT = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final List<Reconciler<?>> reconcilers;
    private final AgentReconciler agents;
    private final Map<Class<?>, Supplier<? extends DependentResource>> dependents;
    private final Telemetry telemetry;
    private final MetricsAccess metricsAccess;
    private final ReconcileErrorLog errorLog;
    private Operator operator;
    private HealthServer health;
    private volatile boolean started;
    private volatile boolean stopping;

    private ArkOperator(KubernetesClient client, OperatorConfig config, List<Reconciler<?>> reconcilers,
                        AgentReconciler agents, Map<Class<?>, Supplier<? extends DependentResource>> dependents,
                        Telemetry telemetry, MetricsAccess metricsAccess) {
        this.agents = agents;
        this.telemetry = telemetry;
        this.metricsAccess = metricsAccess;
        this.errorLog = new ReconcileErrorLog(telemetry);
        this.client = client;
        this.config = config;
        this.reconcilers = List.copyOf(reconcilers);
        this.dependents = dependents;
    }

    /** Teams and agents only, with no Redis: agents run unbudgeted and no run is executed (operator tests). */
    public static ArkOperator withoutQueue(KubernetesClient client, OperatorConfig config, Clock clock) {
        return withoutQueue(client, config, clock, OperatorAddons.NONE);
    }

    /** Teams and agents with these addons, no Redis (operator tests of ArkEvent and ArkNotify). */
    public static ArkOperator withoutQueue(KubernetesClient client, OperatorConfig config, Clock clock,
                                           OperatorAddons addons) {
        return assemble(client, config, AgentBudget.NONE, AgentWork.NONE, null, QueueAccess.none(),
                StatusRecorders.of(client, config, clock), clock, addons, telemetryOf(addons));
    }

    /** The whole operator on one Redis, run settings from the configuration. */
    public static ArkOperator withQueue(KubernetesClient client, OperatorConfig config, RedisConnections redis,
                                        Clock clock, OperatorAddons addons) {
        return withQueue(client, config, redis, new RunSettings(config.outputLimit(), config.statusOutputBudget(),
                Duration.ofDays(7), config.resultClaimIdle()), clock, addons);
    }

    /** The whole operator on one Redis with these run settings. */
    public static ArkOperator withQueue(KubernetesClient client, OperatorConfig config, RedisConnections redis,
                                        RunSettings runs, Clock clock, OperatorAddons addons) {
        Telemetry telemetry = telemetryOf(addons);
        StatusRecorders statuses = StatusRecorders.of(client, config, clock);
        RunReconciler runReconciler = RunReconciler.create(client,
                RedisRunTransport.on(redis, config.podName(), runs.keep(), runs.resultClaimIdle()),
                statuses.of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME), runs,
                Executors.newSingleThreadExecutor(DaemonThreads.named("ark-run-events")), clock, addons.lifecycle(),
                telemetry);
        // ledger reads give up soon while Redis is away: the budget keeps its last known value meanwhile
        StatefulRedisConnection<String, String> ledger = redis.newConnection();
        ledger.setTimeout(LEDGER_READ_TIMEOUT);
        // so do ACL changes: an agent's pods then wait for their user, and the agent is looked at again
        StatefulRedisConnection<String, String> acl = redis.newConnection();
        acl.setTimeout(LEDGER_READ_TIMEOUT);
        AclUsers users = new AclUsers(acl);
        ArkOperator operator = assemble(client, config,
                AgentBudget.ledger(ledger, config.budgetWindow(), config::maxDailyTokens), AgentWork.on(ledger), runReconciler,
                QueueAccess.on(users, config.taskQueue()), statuses, clock, addons, telemetry);
        redis.onReconnect(() -> {
            users.forget();
            operator.agents.redisReturned();
        });
        return operator;
    }

    private static Telemetry telemetryOf(OperatorAddons addons) {
        return addons.telemetry() != null ? addons.telemetry() : Telemetry.none();
    }

    private static ArkOperator assemble(KubernetesClient client, OperatorConfig config, AgentBudget ledger,
                                        AgentWork agentWork, RunReconciler runs, QueueAccess queueAccess,
                                        StatusRecorders statuses, Clock clock, OperatorAddons addons,
                                        Telemetry telemetry) {
        JsonSchemas schemas = new JsonSchemas();
        TeamValidator validator = new TeamValidator(schemas);
        KubeEvents events = new KubeEvents(client, clock);
        UnreadableResources unreadable = new UnreadableResources(client, events);
        BudgetEventSource budgets = new BudgetEventSource(ledger, clock, config::maxDailyTokens);
        WorkEventSource work = new WorkEventSource(agentWork, WorkEventSource.POLL);
        List<Reconciler<?>> reconcilers = new ArrayList<>();
        reconcilers.add(new TeamReconciler(validator, new RunHistory(client),
                statuses.of(ArkTeam.class, ArkTeamStatus.EMPTY, TeamReconciler.NAME), unreadable, clock));
        AgentReconciler agents = new AgentReconciler(config, budgets, events,
                statuses.of(ArkAgent.class, AgentStatus.EMPTY, AgentReconciler.NAME), unreadable, clock,
                addons.lifecycle(), queueAccess, work);
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
        }
        reconcilers.addAll(addons.reconcilers());
        ArkOperator assembled = new ArkOperator(client, config, reconcilers, agents, Map.of(
                AgentDeploymentDependent.class, () -> new AgentDeploymentDependent(config, clock),
                ApiKeySecretDependent.class, () -> new ApiKeySecretDependent(config),
                QueueCredentialsDependent.class, () -> new QueueCredentialsDependent(queueAccess),
                TeamAgentsDependent.class, () -> new TeamAgentsDependent(validator)), telemetry, addons.metricsAccess());
        if (runs != null) {
            // a run's reconciles are spans of their own, linked to the run's trace
            assembled.errorLog.linkReconciles(RunReconciler.NAME, runs::traceOf);
        }
        return assembled;
    }

    private static String queueOf(String resultStream) {
        return resultStream.endsWith(".results") ? resultStream.substring(0, resultStream.length() - ".results".length())
                : resultStream;
    }

    /** Starts the health server, then the controllers (once this replica leads, with leader election on). */
    public synchronized void start() {
        try {
            health = HealthServer.start(config.healthPort(), () -> started, telemetry.metrics(), metricsAccess);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on HEALTH_PORT " + config.healthPort() + ": " + e.getMessage(), e);
        }
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // JOSDK's defaults; the status recorder and every dependent follow them
                    .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                    .withDependentResourceFactory(new Dependents(dependents))
                    // JOSDK shuts both down when it stops; named, so a thread dump says what they do
                    .withExecutorService(Executors.newFixedThreadPool(config.reconcileThreads(),
                            DaemonThreads.named("ark-reconcile")))
                    .withWorkflowExecutorService(Executors.newFixedThreadPool(config.reconcileThreads(),
                            DaemonThreads.named("ark-dependents")))
                    .withMetrics(errorLog);
            if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection());
            }
        });
        for (Reconciler<?> reconciler : reconcilers) {
            registerWatching(reconciler);
        }
        operator.start();
        started = true;
        LOG.info("operator started: watching {}, leader election {}, health on port {}",
                config.watchesAllNamespaces() ? "all namespaces" : String.join(",", config.watchNamespaces()),
                config.leaderElection() ? "on (Lease " + config.operatorNamespace() + "/" + OperatorConfig.LEASE_NAME + ")" : "off",
                health.port());
    }

    public synchronized void stop() {
        started = false;
        stopping = true;
        if (operator != null) {
            operator.stop();
        }
        if (health != null) {
            health.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isStarted() {
        return started;
    }

    /** The port the health endpoints listen on (HEALTH_PORT, or the one picked when it is 0). */
    public int healthPort() {
        return health.port();
    }

    /** Where its traces and metrics go. */
    public Telemetry telemetry() {
        return telemetry;
    }

    public ReconcileErrorLog errorLog() {
        return errorLog;
    }

    /**
     * JOSDK's own exit-on-stop-leading also fires on a graceful stop (and System.exit inside a shutdown hook hangs),
     * so we exit only when leadership is lost while running: a fresh process then rejoins the election.
     */
    private LeaderElectionConfiguration leaderElection() {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> LOG.info("leading: this replica holds Lease {}/{}", config.operatorNamespace(), OperatorConfig.LEASE_NAME),
                () -> {
                    if (!stopping) {
                        LOG.error("lost Lease {}/{}; exiting so a fresh process rejoins the election",
                                config.operatorNamespace(), OperatorConfig.LEASE_NAME);
                        new Thread(() -> System.exit(1), "ark-operator-exit").start();
                    }
                },
                leader -> LOG.info("leader is {}", leader));
        return new LeaderElectionConfiguration(OperatorConfig.LEASE_NAME, config.operatorNamespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, config.podName(), callbacks, false);
    }

    private <P extends HasMetadata> void registerWatching(Reconciler<P> reconciler) {
        Consumer<ControllerConfigurationOverrider<P>> overrides = o -> {
            if (config.watchesAllNamespaces()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(config.watchNamespaces());
            }
            o.withRetry(ReconcileErrors.RETRY);
        };
        operator.register(reconciler, overrides);
    }
}
