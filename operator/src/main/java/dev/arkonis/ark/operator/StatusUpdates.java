package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Status changes that several threads make to one object (a reconciler, webhook requests, deliveries): each reads the
 * latest object and writes with its resourceVersion, retrying on a conflict, so no counter increment is lost.
 */
public final class StatusUpdates {
    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;

    public StatusUpdates(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param empty  the status to start from when the object has none
     * @return the object as written, or empty when it no longer exists
     */
    public <S, T extends CustomResource<?, S>> Optional<T> update(Class<T> type, String namespace, String name,
                                                                   S empty, UnaryOperator<S> change) {
        for (int attempt = 1; ; attempt++) {
            T latest = client.resources(type).inNamespace(namespace).withName(name).get();
            if (latest == null) {
                return Optional.empty();
            }
            S before = latest.getStatus() == null ? empty : latest.getStatus();
            S after = change.apply(before);
            if (Objects.equals(before, after)) {
                return Optional.of(latest);
            }
            latest.setStatus(after);
            try {
                return Optional.of(client.resource(latest).updateStatus());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return Optional.empty();
                }
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
