package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.ArkStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * How this operator process writes statuses, for every kind of ark object alike: by a merge patch of what changed as shipped
 * ({@code SERVER_SIDE_APPLY}), or by update for API servers that cannot apply (fabric8's mock); failures are told
 * with these Events and this clock.
 */
public final class StatusRecorders {
    private final KubernetesClient client;
    private final boolean serverSideApply;
    private final KubeEvents events;
    private final Clock clock;

    public StatusRecorders(KubernetesClient client, boolean serverSideApply, Clock clock) {
        this.client = client;
        this.serverSideApply = serverSideApply;
        this.events = new KubeEvents(client, clock);
        this.clock = clock;
    }

    /** As the operator is configured. */
    public static StatusRecorders of(KubernetesClient client, OperatorConfig config, Clock clock) {
        return new StatusRecorders(client, config.serverSideApply(), clock);
    }

    /**
     * The recorder of one kind of object.
     *
     * @param empty        its status before anything was written
     * @param fieldManager who writes it: its controller's name, as JOSDK names its own writes
     */
    public <R extends CustomResource<?, S>, S extends ArkStatus<S>> StatusRecorder<R, S> of(Class<R> type, S empty,
                                                                                           String fieldManager) {
        return new StatusRecorder<>(type, empty, fieldManager, client, serverSideApply, events, clock, null);
    }
}
