package dev.arkonis.ark.dashboard.view;

import java.time.Instant;
import java.util.List;

/** ArkEvents (what starts runs by itself) and ArkNotifies (who is told). */
public record TriggersPage(Frame frame, String namespace, List<Event> events, List<Notify> notifies) {

    public record Event(String namespace, String name, String type, String schedule, String source, boolean suspended,
            Instant nextFire, Instant lastFired, long fired, long refused, List<String> targets, List<String> lastRuns,
            String condition, boolean canSuspend) {
    }

    public record Notify(String namespace, String name, String channel, List<String> events, long sent, long failed,
            long suppressed, String lastDelivery, Instant lastDeliveryAt, String lastFailure) {
    }
}
