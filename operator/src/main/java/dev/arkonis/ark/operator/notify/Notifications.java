package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.operator.ArkLifecycle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** ArkNotify support as one piece: the reconciler to register, and the listener the run and agent sides call. */
public final class Notifications implements AutoCloseable {
    private final NotifyReconciler reconciler;
    private final Notifier notifier;

    public Notifications(KubernetesClient client, NotifySettings settings, Clock clock) {
        NotifyStatusWriter statuses = new NotifyStatusWriter(client);
        this.reconciler = new NotifyReconciler(client, statuses, clock);
        this.notifier = new Notifier(client, settings, statuses, clock);
    }

    public NotifyReconciler reconciler() {
        return reconciler;
    }

    public ArkLifecycle listener() {
        return notifier;
    }

    @Override
    public void close() {
        notifier.close();
    }
}
