package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.NotifyEvent;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.flow.notify.NotifyValidator;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.operator.StatusRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Collectors;

/** ArkNotify: checks its channel and templates, so a broken template shows in status before any message needs it. */
@ControllerConfiguration(name = NotifyReconciler.NAME)
public final class NotifyReconciler implements Reconciler<ArkNotify> {
    public static final String NAME = "arknotify";

    private final StatusRecorder<ArkNotify, ArkNotifyStatus> statuses;
    private final KubeEvents events;
    private final Clock clock;
    private final NotifyValidator validator = new NotifyValidator();

    NotifyReconciler(KubernetesClient client, StatusRecorder<ArkNotify, ArkNotifyStatus> statuses, Clock clock) {
        this.statuses = statuses;
        this.events = new KubeEvents(client, clock);
        this.clock = clock;
    }

    @Override
    public UpdateControl<ArkNotify> reconcile(ArkNotify notify, Context<ArkNotify> context) {
        Validation validation = validator.validate(notify.getSpec());
        boolean valid = validation.isValid();
        String message = valid
                ? "sends " + notify.getSpec().eventList().stream().map(NotifyEvent::type).map(Enum::name)
                .collect(Collectors.joining(", ")) + " to its " + notify.getSpec().channel().type().name().toLowerCase(java.util.Locale.ROOT)
                + " channel" + (notify.getSpec().rateLimiting() == null ? "" : ", rate limited per team and event type")
                : validation.errors().stream().map(Problem::toString).collect(Collectors.joining("; "));
        ArkNotifyStatus before = notify.getStatus();
        boolean known = before != null && before.conditions() != null && before.conditions().stream()
                .anyMatch(c -> Ark.CONDITION_READY.equals(c.getType()) && message.equals(c.getMessage()));
        Long generation = notify.getMetadata().getGeneration();
        Instant now = clock.instant();
        // a Reconciled condition left by a failure turns True
        statuses.change(notify, s -> s.toBuilder().conditions(ReconcileErrors.succeeded(StatusConditions.set(
                s.conditions(), Ark.CONDITION_READY, valid, valid ? "Ready" : "InvalidSpec", message, generation, now),
                generation, now)).observedGeneration(generation).build());
        if (!valid && !known) {
            events.record(notify, EventReason.InvalidSpec, message);
        }
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<ArkNotify> updateErrorStatus(ArkNotify notify, Context<ArkNotify> context,
                                                                  Exception e) {
        return statuses.failed(notify, context, e);
    }
}
