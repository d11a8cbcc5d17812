package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.ArkOperator;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.OperatorAddons;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.queue.RedisConnections;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A mock cluster whose operator serves ArkEvents with a given clock; the operator can be restarted on the same API server. */
final class TriggerCluster implements AutoCloseable {
    static final String NS = "team-ns";

    final MockCluster cluster;
    final KubernetesClient client;
    private final TriggerSettings settings;
    private final Clock clock;
    private Triggers triggers;
    private ArkOperator restarted;

    private final Map<String, String> env;
    // opens the Redis connections of one operator process; null for operators that run no runs
    private final Supplier<RedisConnections> redis;
    private int operators;

    TriggerCluster(TriggerSettings settings, Clock clock) {
        this(settings, clock, MockCluster.env(), null);
    }

    /** @param redis the Redis connections of each operator process started, which then runs runs too */
    TriggerCluster(TriggerSettings settings, Clock clock, Map<String, String> env, Supplier<RedisConnections> redis) {
        this.settings = settings;
        this.clock = clock;
        this.env = env;
        this.redis = redis;
        this.cluster = new MockCluster(env, (client, config) -> operator(client, true));
        this.client = cluster.client;
        triggers.start();
    }

    /** Stops the operator and starts a fresh one (new caches, new webhook server) on the same API server. */
    void restartOperator() {
        restartOperator(true);
    }

    /** @param withRuns whether the fresh operator runs runs too (when the cluster has Redis) */
    void restartOperator(boolean withRuns) {
        triggers.close();
        (restarted == null ? cluster.operator : restarted).stop();
        restarted = operator(client, withRuns);
        restarted.start();
        triggers.start();
    }

    /** A fresh operator process: its own webhook server and, with runs, its own consumer name on the result streams. */
    private ArkOperator operator(KubernetesClient client, boolean withRuns) {
        operators++;
        Map<String, String> processEnv = new HashMap<>(env);
        processEnv.put("POD_NAME", "operator-" + operators);
        OperatorConfig config = OperatorConfig.fromEnv(processEnv);
        triggers = new Triggers(client, StatusRecorders.of(client, config, clock), settings, "ark-system", clock);
        OperatorAddons addons = OperatorAddons.of(triggers.reconciler());
        return redis == null || !withRuns ? ArkOperator.withoutQueue(client, config, Clock.systemUTC(), addons)
                : ArkOperator.withQueue(client, config, redis.get(), Clock.systemUTC(), addons);
    }

    Triggers triggers() {
        return triggers;
    }

    ArkEvent event(String name) {
        return client.resources(ArkEvent.class).inNamespace(NS).withName(name).get();
    }

    ArkEventStatus status(String name) {
        ArkEvent event = event(name);
        return event == null || event.getStatus() == null ? ArkEventStatus.EMPTY : event.getStatus();
    }

    List<ArkRun> runs() {
        return client.resources(ArkRun.class).inNamespace(NS).list().getItems();
    }

    List<String> eventReasons(String object) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    List<String> eventMessages(String object, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).toList();
    }

    <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(String yaml, Class<T> type) {
        return cluster.create(yaml, type);
    }

    @Override
    public void close() {
        triggers.close();
        if (restarted != null) {
            restarted.stop();
        }
        cluster.close();
    }
}
