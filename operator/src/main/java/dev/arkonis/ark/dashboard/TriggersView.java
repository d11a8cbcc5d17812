package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.NotifyEvent;
import dev.arkonis.ark.api.TriggerSource;
import dev.arkonis.ark.api.TriggerTarget;
import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.view.TriggersPage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** ArkEvents and ArkNotifies as the triggers page shows them. */
final class TriggersView {
    private TriggersView() {
    }

    static TriggersPage page(KubernetesClient client, Frame frame, String namespace) {
        List<ArkEvent> events = namespace == null ? client.resources(ArkEvent.class).inAnyNamespace().list().getItems()
                : client.resources(ArkEvent.class).inNamespace(namespace).list().getItems();
        List<ArkNotify> notifies = namespace == null ? client.resources(ArkNotify.class).inAnyNamespace().list().getItems()
                : client.resources(ArkNotify.class).inNamespace(namespace).list().getItems();
        return new TriggersPage(frame, namespace, sorted(events).stream().map(e -> event(e, !frame.readOnly())).toList(),
                sorted(notifies).stream().map(TriggersView::notify).toList());
    }

    private static TriggersPage.Event event(ArkEvent event, boolean actions) {
        var spec = event.getSpec();
        ArkEventStatus status = event.getStatus() == null ? ArkEventStatus.EMPTY : event.getStatus();
        TriggerSource source = spec == null ? null : spec.source();
        String type = source == null || source.type() == null ? "?" : source.type().wireName();
        String schedule = "";
        if (source != null && source.type() == TriggerSource.Type.CRON) {
            schedule = source.cron() + (source.timeZone() == null ? " (UTC)" : " (" + source.timeZone() + ")");
        } else if (source != null && source.type() != null && source.type().watchesRuns() && source.upstream() != null) {
            schedule = "runs of team " + source.upstream().name() + " ending "
                    + (source.upstream().onPhase() == null ? "Succeeded" : source.upstream().onPhase());
        } else if (status.webhookURL() != null) {
            schedule = "POST " + status.webhookURL();
        }
        String condition = status.conditions() == null ? null : status.conditions().stream()
                .filter(c -> "False".equals(c.getStatus()) && c.getMessage() != null).map(c -> c.getMessage())
                .findFirst().orElse(null);
        return new TriggersPage.Event(event.getMetadata().getNamespace(), event.getMetadata().getName(), type, schedule,
                type, spec != null && spec.isSuspended(), instant(status.nextFireAt()), instant(status.lastFiredAt()),
                status.fired(), status.refused(),
                spec == null ? List.of() : spec.targetList().stream().map(TriggerTarget::team).toList(),
                status.lastRuns() == null ? List.of() : status.lastRuns(), condition, actions);
    }

    private static TriggersPage.Notify notify(ArkNotify notify) {
        var spec = notify.getSpec();
        ArkNotifyStatus status = notify.getStatus() == null ? ArkNotifyStatus.EMPTY : notify.getStatus();
        var last = status.lastDelivery();
        var failure = status.lastFailure();
        return new TriggersPage.Notify(notify.getMetadata().getNamespace(), notify.getMetadata().getName(),
                spec == null || spec.channel() == null || spec.channel().type() == null ? "?"
                        : spec.channel().type().name().toLowerCase(java.util.Locale.ROOT),
                spec == null ? List.of() : spec.eventList().stream().map(NotifyEvent::type).map(String::valueOf).toList(),
                n(status.sentCount()), n(status.failedCount()), n(status.suppressedCount()),
                last == null ? null : last.event() + " " + last.subject() + ": " + last.result(),
                last == null ? null : instant(last.time()),
                failure == null ? null : failure.event() + " " + failure.subject() + ": " + failure.message());
    }

    private static long n(Long value) {
        return value == null ? 0 : value;
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isEmpty() ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static <T extends HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T o) -> o.getMetadata().getNamespace())
                .thenComparing(o -> o.getMetadata().getName())).toList();
    }
}
