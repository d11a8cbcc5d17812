package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import dev.arkonis.ark.operator.StatusRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Fires an ArkEvent and records it: runs first (deterministic names), then the status that says the fire happened,
 * then an Event. A crash between the two is repaired by the next attempt at the same fire, which creates nothing new.
 * The reconciler and webhook requests go through here one at a time per event.
 */
final class EventFiring {
    private final RunLauncher launcher;
    private final StatusRecorder<ArkEvent, ArkEventStatus> statuses;
    private final KubeEvents events;
    private final Clock clock;
    private final EventLocks locks = new EventLocks();

    EventFiring(RunLauncher launcher, StatusRecorder<ArkEvent, ArkEventStatus> statuses, KubeEvents events, Clock clock) {
        this.launcher = launcher;
        this.statuses = statuses;
        this.events = events;
        this.clock = clock;
    }

    <T> T locked(ArkEvent event, Supplier<T> work) {
        ReentrantLock lock = locks.of(event.getMetadata().getNamespace(), event.getMetadata().getName());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** What {@code .trigger} holds for every source type. */
    Map<String, Object> triggerData(ArkEvent event, Instant firedAt) {
        Map<String, Object> data = new HashMap<>();
        data.put("name", event.getMetadata().getName());
        data.put("namespace", event.getMetadata().getNamespace());
        data.put("type", event.getSpec().source().type().wireName());
        data.put("firedAt", firedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        return data;
    }

    /**
     * @param cause   in words, for the Event ("schedule slot 2026-03-02T08:00:00Z", "webhook delivery")
     * @param handled the status fields that mark this fire as handled (slot, watermark), written with the count
     */
    FireResult fire(ArkEvent event, String fireKey, Map<String, Object> trigger, String cause,
                    UnaryOperator<ArkEventStatus> handled) {
        FireResult result = launcher.fire(event, fireKey, trigger);
        record(event, result, cause, handled);
        return result;
    }

    /** A webhook delivery: one repeated with the same Idempotency-Key finds its runs and records nothing again. */
    FireResult fireDelivery(ArkEvent event, String fireKey, Map<String, Object> trigger) {
        FireResult result = launcher.fire(event, fireKey, trigger);
        if (!(result instanceof FireResult.Fired fired && fired.repeated())) {
            record(event, result, "webhook delivery", UnaryOperator.identity());
        }
        return result;
    }

    void refuse(ArkEvent event, EventReason reason, String message, UnaryOperator<ArkEventStatus> handled) {
        record(event, new FireResult.Refused(reason, message), null, handled);
    }

    /** Writes status fields that are not about a fire (conditions, next fire, URL). */
    void write(ArkEvent event, UnaryOperator<ArkEventStatus> change) {
        statuses.change(event, s -> change.apply(s).toBuilder()
                .observedGeneration(event.getMetadata().getGeneration()).build());
    }

    private void record(ArkEvent event, FireResult result, String cause, UnaryOperator<ArkEventStatus> handled) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        write(event, s -> {
            ArkEventStatus marked = handled.apply(s);
            return result instanceof FireResult.Fired fired
                    ? marked.toBuilder().firedCount(marked.fired() + 1).lastFiredAt(now).lastRuns(fired.runs()).build()
                    : marked.toBuilder().refusedCount(marked.refused() + 1).build();
        });
        if (result instanceof FireResult.Fired fired) {
            events.record(event, EventReason.Fired, "fired" + (cause == null ? "" : " by " + cause) + ": "
                    + (fired.repeated() ? "run(s) " + String.join(", ", fired.runs()) + " had been created already"
                    : "created run(s) " + String.join(", ", fired.runs())));
        } else if (result instanceof FireResult.Refused refused) {
            events.record(event, refused.reason(), refused.message());
        }
    }
}
