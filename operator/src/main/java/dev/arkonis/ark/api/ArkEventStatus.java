package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import lombok.Builder;
import lombok.With;

/** What an ArkEvent did, and what it waits for. */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkEventStatus(
        @JsonPropertyDescription("Times the event fired (created runs).") Long firedCount,
        @JsonPropertyDescription("When it last fired (RFC 3339).") String lastFiredAt,
        @JsonPropertyDescription("When the schedule fires next (cron only; absent while suspended).") String nextFireAt,
        @JsonProperty("webhookURL") @JsonPropertyDescription("Where to POST to fire it (webhook only).") String webhookURL,
        @JsonPropertyDescription("The schedule slot last handled, fired or skipped (cron only): no slot fires twice.")
        String lastScheduleTime,
        @JsonPropertyDescription("Completion time of the last watched run handled (pipeline-output only).")
        String lastSourceCompletionTime,
        @JsonPropertyDescription("The runs the last fire created.") List<String> lastRuns,
        @JsonPropertyDescription("Fires refused (Forbid, suspended, missed deadline, bad input).") Long refusedCount,
        @With List<Condition> conditions,
        Long observedGeneration) implements ArkStatus<ArkEventStatus> {

    public static final ArkEventStatus EMPTY = builder().build();

    public ArkEventStatus {
        // 0 rather than absent, so kubectl's Fired column reads 0 before the first fire
        firedCount = firedCount == null ? Long.valueOf(0) : firedCount;
    }

    public long fired() {
        return firedCount == null ? 0 : firedCount;
    }

    public long refused() {
        return refusedCount == null ? 0 : refusedCount;
    }
}
