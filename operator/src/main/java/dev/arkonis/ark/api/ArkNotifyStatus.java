package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import lombok.Builder;
import lombok.With;

/** What an ArkNotify sent, held back and failed to send. */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkNotifyStatus(
        Long sentCount,
        @JsonPropertyDescription("Messages that could not be delivered after every retry, or whose template failed.") Long failedCount,
        @JsonPropertyDescription("Messages held back by rateLimiting.") Long suppressedCount,
        @JsonPropertyDescription("The last message handled, whatever became of it.") NotifyDelivery lastDelivery,
        @JsonPropertyDescription("The last message that failed, and why.") NotifyDelivery lastFailure,
        @With List<Condition> conditions,
        Long observedGeneration) implements ArkStatus<ArkNotifyStatus> {

    public static final ArkNotifyStatus EMPTY = builder().build();

    public ArkNotifyStatus {
        // 0 rather than absent, so kubectl's Sent and Failed columns read 0 before the first message
        sentCount = sentCount == null ? Long.valueOf(0) : sentCount;
        failedCount = failedCount == null ? Long.valueOf(0) : failedCount;
    }
}
