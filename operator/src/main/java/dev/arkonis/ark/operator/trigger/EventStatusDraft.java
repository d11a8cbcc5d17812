package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.ArkEventStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** A mutable copy of an ArkEvent status, so each change names only the fields it touches. */
final class EventStatusDraft {
    Long firedCount;
    String lastFiredAt;
    String nextFireAt;
    String webhookURL;
    String lastScheduleTime;
    String lastSourceCompletionTime;
    List<String> lastRuns;
    Long refusedCount;
    List<Condition> conditions;
    Long observedGeneration;

    static EventStatusDraft of(ArkEventStatus s) {
        EventStatusDraft d = new EventStatusDraft();
        d.firedCount = s.firedCount();
        d.lastFiredAt = s.lastFiredAt();
        d.nextFireAt = s.nextFireAt();
        d.webhookURL = s.webhookURL();
        d.lastScheduleTime = s.lastScheduleTime();
        d.lastSourceCompletionTime = s.lastSourceCompletionTime();
        d.lastRuns = s.lastRuns();
        d.refusedCount = s.refusedCount();
        d.conditions = s.conditions();
        d.observedGeneration = s.observedGeneration();
        return d;
    }

    ArkEventStatus build() {
        // 0 rather than absent, so kubectl's Fired column reads 0 before the first fire
        return new ArkEventStatus(firedCount == null ? Long.valueOf(0) : firedCount, lastFiredAt, nextFireAt, webhookURL, lastScheduleTime,
                lastSourceCompletionTime, lastRuns, refusedCount, conditions, observedGeneration);
    }
}
