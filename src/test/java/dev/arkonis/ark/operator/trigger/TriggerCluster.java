package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.ArkOperator;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.OperatorAssembly;
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
    private final Clock clock;
    private ArkOperator restarted;

    private final Map<String, String> env;
    // opens the Redis connections of one operator process; null for operators that run no runs
    private final Supplier<RedisConnections> redis;
    private int operators;

    /** The operator's environment with webhooks served on a free port, bodies and fires limited so; and {@code more}. */
    static Map<String, String> webhooks(int maxBodyBytes, int firesPerMinute, String... more) {
        Map<String, String> env = MockCluster.env("TRIGGER_WEBHOOK_ENABLED", "true", "TRIGGER_WEBHOOK_PORT", "0",
                "TRIGGER_WEBHOOK_MAX_BODY_BYTES", Integer.toString(maxBodyBytes),
                "TRIGGER_WEBHOOK_FIRES_PER_MINUTE", Integer.toString(firesPerMinute));
        env.putAll(MockCluster.env(more));
        return env;
    }

    TriggerCluster(Map<String, String> env, Clock clock) {
        this(env, clock, null);
    }

    /** @param redis the Redis connections of each operator process started, which then runs runs too */
    TriggerCluster(Map<String, String> env, Clock clock, Supplier<RedisConnections> redis) {
        this.clock = clock;
        this.env = env;
        this.redis = redis;
        this.cluster = new MockCluster(processEnv(), operator -> process(operator, true));
        this.client = cluster.client;
    }

    /** Stops the operator and starts a fresh one (new caches, new webhook server) on the same API server. */
    void restartOperator() {
        restartOperator(true);
    }

    /** @param withRuns whether the fresh operator runs runs too (when the cluster has Redis) */
    void restartOperator(boolean withRuns) {
        current().stop();
        restarted = cluster.operator(processEnv(), operator -> process(operator, withRuns));
        restarted.start();
    }

    /** A fresh operator process's environment: its own consumer name on the result streams. */
    private Map<String, String> processEnv() {
        operators++;
        Map<String, String> processEnv = new HashMap<>(env);
        processEnv.put("POD_NAME", "operator-" + operators);
        return processEnv;
    }

    /** With runs, its own Redis connections; every part of it on the test's clock. */
    private OperatorAssembly process(OperatorAssembly operator, boolean withRuns) {
        operator.withClock(clock);
        return redis == null || !withRuns ? operator.withoutQueue() : operator.withRedis(redis.get());
    }

    private ArkOperator current() {
        return restarted == null ? cluster.operator : restarted;
    }

    Triggers triggers() {
        return current().triggers();
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
        if (restarted != null) {
            restarted.stop();
        }
        cluster.close();
    }
}
