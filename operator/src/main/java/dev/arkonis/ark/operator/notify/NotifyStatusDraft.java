package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.NotifyDelivery;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** A mutable copy of an ArkNotify status. */
final class NotifyStatusDraft {
    Long sentCount;
    Long failedCount;
    Long suppressedCount;
    NotifyDelivery lastDelivery;
    NotifyDelivery lastFailure;
    List<Condition> conditions;
    Long observedGeneration;

    static NotifyStatusDraft of(ArkNotifyStatus s) {
        NotifyStatusDraft d = new NotifyStatusDraft();
        d.sentCount = s.sentCount();
        d.failedCount = s.failedCount();
        d.suppressedCount = s.suppressedCount();
        d.lastDelivery = s.lastDelivery();
        d.lastFailure = s.lastFailure();
        d.conditions = s.conditions();
        d.observedGeneration = s.observedGeneration();
        return d;
    }

    ArkNotifyStatus build() {
        // 0 rather than absent, so kubectl's Sent and Failed columns read 0 before the first message
        return new ArkNotifyStatus(sentCount == null ? Long.valueOf(0) : sentCount,
                failedCount == null ? Long.valueOf(0) : failedCount, suppressedCount, lastDelivery, lastFailure, conditions,
                observedGeneration);
    }

    static long plusOne(Long value) {
        return (value == null ? 0 : value) + 1;
    }
}
