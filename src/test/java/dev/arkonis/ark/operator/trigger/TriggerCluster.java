package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.ArkOperator;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
    private final Function<KubernetesClient, List<Reconciler<?>>> extra;
    private List<Reconciler<?>> extras = List.of();

    TriggerCluster(TriggerSettings settings, Clock clock) {
        this(settings, clock, MockCluster.env(), client -> List.of());
    }

    TriggerCluster(TriggerSettings settings, Clock clock, Map<String, String> env,
                   Function<KubernetesClient, List<Reconciler<?>>> extra) {
        this.settings = settings;
        this.clock = clock;
        this.env = env;
        this.extra = extra;
        this.cluster = new MockCluster(env, client -> {
            extras = extra.apply(client);
            List<Reconciler<?>> all = new ArrayList<>(extras);
            triggers = new Triggers(client, settings, "ark-system", clock);
            all.add(triggers.reconciler());
            return all;
        });
        this.client = cluster.client;
        triggers.start();
    }

    /** Stops the operator and starts a fresh one (new caches, new webhook server) on the same API server. */
    void restartOperator() {
        restartOperator(true);
    }

    /** @param withExtras whether the fresh operator runs the extra reconcilers too (a run reconciler) */
    void restartOperator(boolean withExtras) {
        triggers.close();
        (restarted == null ? cluster.operator : restarted).stop();
        closeExtras();
        triggers = new Triggers(client, settings, "ark-system", clock);
        restarted = new ArkOperator(client, OperatorConfig.fromEnv(env));
        extras = withExtras ? extra.apply(client) : List.of();
        extras.forEach(restarted::register);
        restarted.register(triggers.reconciler());
        restarted.start();
        triggers.start();
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

    private void closeExtras() {
        for (Reconciler<?> r : extras) {
            if (r instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        triggers.close();
        closeExtras();
        if (restarted != null) {
            restarted.stop();
        }
        cluster.close();
    }
}
