package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.operator.approval.ApprovalLinkSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** ArkNotify support as one piece: the reconciler to register, and the listener the run and agent sides call. */
public final class Notifications implements AutoCloseable {
    private final NotifyReconciler reconciler;
    private final Notifier notifier;

    /** @param statuses how this operator writes statuses (its configuration's) */
    public Notifications(KubernetesClient client, StatusRecorders statuses, NotifySettings settings, Clock clock) {
        this(client, statuses, settings, clock, ApprovalLinkSettings.OFF);
    }

    /** @param links approval links that ApprovalRequested messages carry (off: they carry none) */
    public Notifications(KubernetesClient client, StatusRecorders statuses, NotifySettings settings, Clock clock,
                         ApprovalLinkSettings links) {
        StatusRecorder<ArkNotify, ArkNotifyStatus> notifyStatuses = statuses.of(ArkNotify.class, ArkNotifyStatus.EMPTY,
                NotifyReconciler.NAME);
        this.reconciler = new NotifyReconciler(client, notifyStatuses, clock);
        this.notifier = new Notifier(client, settings, notifyStatuses, clock, links);
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
