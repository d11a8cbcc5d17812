package dev.arkonis.ark.operator;

import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.agent.AgentBudget;
import dev.arkonis.ark.operator.agent.AgentDeployment;
import dev.arkonis.ark.operator.agent.AgentReconciler;
import dev.arkonis.ark.operator.agent.ApiKeyMirror;
import dev.arkonis.ark.operator.agent.DeploymentSync;
import dev.arkonis.ark.operator.agent.DesiredReplicas;
import dev.arkonis.ark.operator.team.RunHistory;
import dev.arkonis.ark.operator.team.TeamAgents;
import dev.arkonis.ark.operator.team.TeamReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: JOSDK with server-side apply off (the path the tests exercise is the path that ships),
 * the ArkTeam and ArkAgent reconcilers plus any {@link #register registered} before {@link #start}, leader
 * election on the {@code ark-operator} Lease, and the health endpoints.
 */
public final class ArkOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final ReconcileErrorLog errorLog = new ReconcileErrorLog();
    private final List<Reconciler<?>> reconcilers = new ArrayList<>();
    private final AgentReconciler agents;
    private Operator operator;
    private HealthServer health;
    private volatile boolean started;
    private volatile boolean stopping;

    /** An operator whose agents run unbudgeted (no ledger to read). */
    public ArkOperator(KubernetesClient client, OperatorConfig config) {
        this(client, config, AgentBudget.NONE, Clock.systemUTC());
    }

    /** @param budgets reads each agent's spending against its maxDailyTokens (SPEC 5) */
    public ArkOperator(KubernetesClient client, OperatorConfig config, AgentBudget budgets, Clock clock) {
        this(client, config, budgets, clock, ArkLifecycle.NONE);
    }

    /** @param lifecycle told when an agent's budget runs out or comes back (notifications) */
    public ArkOperator(KubernetesClient client, OperatorConfig config, AgentBudget budgets, Clock clock,
                       ArkLifecycle lifecycle) {
        this.client = client;
        this.config = config;
        reconcilers.add(new TeamReconciler(new TeamValidator(new JsonSchemas()), new TeamAgents(client),
                new RunHistory(client), clock));
        agents = new AgentReconciler(config, new AgentDeployment(config), new DeploymentSync(client),
                new ApiKeyMirror(client), DesiredReplicas.FROM_SPEC, budgets, new KubeEvents(client, clock), clock, lifecycle);
        reconcilers.add(agents);
    }

    /** Tells the operator an agent spent tokens, so its budget is looked at now rather than on a timer. */
    public void usageChanged(String namespace, String agentName) {
        agents.usageChanged(namespace, agentName);
    }

    /** Adds a reconciler (e.g. ArkRun's) that watches the same namespaces; call before {@link #start()}. */
    public synchronized ArkOperator register(Reconciler<?> reconciler) {
        if (operator != null) {
            throw new IllegalStateException("register reconcilers before start()");
        }
        reconcilers.add(reconciler);
        return this;
    }

    /** Starts the health server, then the controllers (once this replica leads, with leader election on). */
    public synchronized void start() {
        health = new HealthServer(config.healthPort(), () -> started, this::metrics);
        health.start();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
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
            health.stop();
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

    public ReconcileErrorLog errorLog() {
        return errorLog;
    }

    /**
     * JOSDK's own exit-on-stop-leading also fires on a graceful stop (and System.exit inside a shutdown hook hangs),
     * so we exit only when leadership is lost while running: a fresh process then rejoins the election.
     */
    private LeaderElectionConfiguration leaderElection() {
        String identity = Optional.ofNullable(System.getenv("HOSTNAME")).orElse(UUID.randomUUID().toString());
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
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity, callbacks, false);
    }

    private <P extends HasMetadata> void registerWatching(Reconciler<P> reconciler) {
        Consumer<ControllerConfigurationOverrider<P>> namespaces = config.watchesAllNamespaces()
                ? ControllerConfigurationOverrider::watchingAllNamespaces
                : o -> o.settingNamespaces(config.watchNamespaces());
        operator.register(reconciler, namespaces);
    }

    private String metrics() {
        return "# TYPE ark_operator_reconciles_total counter\n"
                + "ark_operator_reconciles_total " + errorLog.reconcileCount() + "\n"
                + "# TYPE ark_operator_reconcile_errors_total counter\n"
                + "ark_operator_reconcile_errors_total " + errorLog.errorCount() + "\n";
    }
}
