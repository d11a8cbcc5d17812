package dev.arkonis.ark.operator;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.http.HealthServer;
import dev.arkonis.ark.http.MetricsAccess;
import dev.arkonis.ark.operator.trigger.Triggers;
import dev.arkonis.ark.telemetry.Telemetry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.function.Predicate;
import dev.arkonis.ark.operator.shard.ShardItemStore;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import dev.arkonis.ark.operator.shard.ShardLeases;
import dev.arkonis.ark.operator.shard.ShardOwnership;
import dev.arkonis.ark.operator.shard.Shards;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator, as {@link OperatorAssembly} wired it: JOSDK configured in one place with every controller,
 * dependent resource and event source, leader election on the {@code ark-operator} Lease (or, sharded, one Lease per
 * shard of namespaces: {@link ShardLeases}), the health endpoints, and
 * what starts and stops with it (the ArkEvent webhooks, notification delivery, the connections it opened).
 */
public final class ArkOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final List<Reconciler<?>> reconcilers;
    private final Map<Class<?>, Supplier<? extends DependentResource>> dependents;
    private final Telemetry telemetry;
    private final MetricsAccess metricsAccess;
    private final ReconcileErrorLog errorLog;
    private final Triggers triggers;
    private final List<AutoCloseable> closedAfterStop;
    private final ShardOwnership ownership;
    private final List<RegisteredController<?>> controllers = new ArrayList<>();
    private Operator operator;
    private ShardLeases shardLeases;
    private HealthServer health;
    private volatile boolean started;
    private volatile boolean stopping;

    /** @param closedAfterStop closed in this order once the controllers stopped (what the operator alone uses) */
    ArkOperator(KubernetesClient client, OperatorConfig config, List<Reconciler<?>> reconcilers,
                Map<Class<?>, Supplier<? extends DependentResource>> dependents, Telemetry telemetry,
                MetricsAccess metricsAccess, Triggers triggers, List<AutoCloseable> closedAfterStop,
                ShardOwnership ownership) {
        this.ownership = ownership;
        this.telemetry = telemetry;
        this.metricsAccess = metricsAccess;
        this.errorLog = new ReconcileErrorLog(telemetry);
        this.client = client;
        this.config = config;
        this.reconcilers = List.copyOf(reconcilers);
        this.dependents = dependents;
        this.triggers = triggers;
        this.closedAfterStop = List.copyOf(closedAfterStop);
    }

    /**
     * Starts the webhook server, the health server, then the controllers (once this replica leads, with leader
     * election on). Webhooks listen before the pod is ready; until the ArkEvent controller runs, fires get 503 with
     * Retry-After.
     */
    public synchronized void start() {
        triggers.start();
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
            // sharded, each shard has its Lease (ShardLeases) and the controllers run on every replica
            if (config.leaderElection() && !config.shards().sharded()) {
                o.withLeaderElectionConfiguration(leaderElection());
            }
        });
        for (Reconciler<?> reconciler : reconcilers) {
            controllers.add(registerWatching(reconciler));
        }
        operator.start();
        if (config.shards().sharded()) {
            ownership.onAcquired(this::reconcileShard);
            shardLeases = new ShardLeases(client, config.operatorNamespace(), config.podName(), ownership,
                    ShardLeases.Timing.DEFAULT, Clock.systemUTC(), this::exitOnLostLease, this::exitToHandBack).start();
        }
        started = true;
        LOG.info("operator started: watching {}, leader election {}, health on port {}",
                config.watchesAllNamespaces() ? "all namespaces" : String.join(",", config.watchNamespaces()),
                !config.leaderElection() ? "off"
                        : config.shards().sharded() ? "on (" + config.shards().count() + " shards, Leases "
                        + config.operatorNamespace() + "/" + Shards.LEASE_PREFIX + "<i>)"
                        : "on (Lease " + config.operatorNamespace() + "/" + OperatorConfig.LEASE_NAME + ")",
                health.port());
    }

    /** A shard was won: every object of its namespaces is reconciled now, as JOSDK does on start. */
    private void reconcileShard(int shard) {
        Predicate<String> inShard = ownership.namespacesOf(shard);
        for (RegisteredController<?> controller : controllers) {
            reconcileAll((Controller<?>) controller, inShard);
        }
    }

    private static <P extends HasMetadata> void reconcileAll(Controller<P> controller, Predicate<String> namespaces) {
        controller.getEventSourceManager().getControllerEventSource()
                .list(resource -> namespaces.test(resource.getMetadata().getNamespace()))
                .forEach(resource -> controller.getEventProcessor().handleEvent(new ResourceEvent(ResourceAction.ADDED,
                        ResourceID.fromResource(resource), resource)));
    }

    /** Stops listening for webhooks, then the controllers and the health server, then closes what it alone uses. */
    public synchronized void stop() {
        started = false;
        stopping = true;
        triggers.close();
        if (shardLeases != null) {
            shardLeases.close(); // released: the other replicas take them over at once
        }
        if (operator != null) {
            operator.stop();
        }
        if (health != null) {
            health.close();
        }
        for (AutoCloseable closeable : closedAfterStop) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("stopping the operator: {}", e.toString());
            }
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

    /** Its ArkEvent support: the reconciler and the webhook server. */
    public Triggers triggers() {
        return triggers;
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
                        LOG.error("lost Lease {}/{}", config.operatorNamespace(), OperatorConfig.LEASE_NAME);
                        exitOnLostLease();
                    }
                },
                leader -> LOG.info("leader is {}", leader));
        return new LeaderElectionConfiguration(OperatorConfig.LEASE_NAME, config.operatorNamespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, config.podName(), callbacks, false);
    }

    /** Another replica has no shard: this process stops (releasing its Leases) and its fresh one takes its share. */
    private void exitToHandBack() {
        if (!stopping) {
            new Thread(() -> System.exit(0), "ark-operator-exit").start();
        }
    }

    private void exitOnLostLease() {
        if (!stopping) {
            LOG.error("exiting so a fresh process rejoins the election");
            new Thread(() -> System.exit(1), "ark-operator-exit").start();
        }
    }

    /** The store a controller's annotation names for its cache (the runs' drops managedFields), else a plain one. */
    @SuppressWarnings("unchecked")
    private static <P extends HasMetadata> ItemStore<P> itemStoreOf(Reconciler<P> reconciler) {
        ControllerConfiguration configuration = reconciler.getClass().getAnnotation(ControllerConfiguration.class);
        Informer informer = configuration == null ? null : configuration.informer();
        try {
            return informer == null || informer.itemStore() == ItemStore.class
                    ? new BasicItemStore<>(Cache::metaNamespaceKeyFunc)
                    : (ItemStore<P>) informer.itemStore().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the item store " + informer.itemStore().getName(), e);
        }
    }

    private <P extends HasMetadata> RegisteredController<P> registerWatching(Reconciler<P> reconciler) {
        Consumer<ControllerConfigurationOverrider<P>> overrides = o -> {
            if (config.watchesAllNamespaces()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(config.watchNamespaces());
            }
            o.withRetry(ReconcileErrors.RETRY);
            if (config.shards().sharded()) {
                // objects of shards another replica leads: no event of theirs, and none found to reconcile
                o.withGenericFilter(resource -> ownership.owns(resource.getMetadata().getNamespace()));
                o.withItemStore(new ShardItemStore<>(ownership, itemStoreOf(reconciler)));
            }
        };
        return operator.register(reconciler, overrides);
    }
}
