package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.operator.StatusUpdates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one way an ArkNotify's status is written in this process: one writer at a time per object (deliveries run on
 * several threads beside the reconciler), each write on the latest version, so no count is lost.
 */
final class NotifyStatusWriter {
    private final StatusUpdates statuses;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    NotifyStatusWriter(KubernetesClient client) {
        this.statuses = new StatusUpdates(client);
    }

    void update(ArkNotify notify, Consumer<NotifyStatusDraft> change) {
        String namespace = notify.getMetadata().getNamespace();
        String name = notify.getMetadata().getName();
        synchronized (locks.computeIfAbsent(namespace + "/" + name, k -> new Object())) {
            statuses.update(ArkNotify.class, namespace, name, ArkNotifyStatus.EMPTY, s -> {
                NotifyStatusDraft d = NotifyStatusDraft.of(s);
                change.accept(d);
                return d.build();
            });
        }
    }
}
