package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What an ArkNotify sent, held back and failed to send. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkNotifyStatus(
        Long sentCount,
        @JsonPropertyDescription("Messages that could not be delivered after every retry, or whose template failed.") Long failedCount,
        @JsonPropertyDescription("Messages held back by rateLimiting.") Long suppressedCount,
        @JsonPropertyDescription("The last message handled, whatever became of it.") NotifyDelivery lastDelivery,
        @JsonPropertyDescription("The last message that failed, and why.") NotifyDelivery lastFailure,
        List<Condition> conditions,
        Long observedGeneration) {

    public static final ArkNotifyStatus EMPTY = new ArkNotifyStatus(null, null, null, null, null, null, null);
}
