package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.StatusRecorders;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.arkonis.ark.operator.approval.ApprovalLinkService;
import dev.arkonis.ark.operator.approval.ApprovalLinks;
import java.time.Clock;
import java.util.Optional;

/**
 * ArkEvent support as one piece: the reconciler to register, and the webhook server to start with the operator (which
 * serves approval links too, when they are on).
 */
public final class Triggers implements AutoCloseable {
    private final EventReconciler reconciler;
    private final WebhookServer server;

    /**
     * @param statuses how this operator writes statuses (its configuration's)
     * @param runs     the operator's one watch of runs
     */
    public Triggers(KubernetesClient client, StatusRecorders statuses, TriggerSettings settings, String operatorNamespace,
                    SharedRuns runs, Clock clock) {
        this(client, statuses, settings, operatorNamespace, runs, clock, Optional.empty());
    }

    /** @param approvals approval links, served on the webhook port too (empty: links are off) */
    public Triggers(KubernetesClient client, StatusRecorders statuses, TriggerSettings settings, String operatorNamespace,
                    SharedRuns runs, Clock clock, Optional<ApprovalLinks> approvals) {
        KubeEvents events = new KubeEvents(client, clock);
        StatusRecorder<ArkEvent, ArkEventStatus> eventStatuses = statuses.of(ArkEvent.class, ArkEventStatus.EMPTY,
                EventReconciler.NAME);
        EventFiring firing = new EventFiring(new RunLauncher(client), eventStatuses, events, clock);
        WebhookServer[] holder = new WebhookServer[1];
        this.reconciler = new EventReconciler(client, settings, operatorNamespace, () -> holder[0].port(), firing,
                eventStatuses, events, runs, clock);
        this.server = new WebhookServer(settings, reconciler, firing, clock,
                approvals.map(links -> new ApprovalLinkService(links, client, clock)));
        holder[0] = server;
    }

    public EventReconciler reconciler() {
        return reconciler;
    }

    /** Starts listening for webhook fires; the reconciler must be registered with the operator. */
    public void start() {
        server.start();
    }

    public int webhookPort() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
