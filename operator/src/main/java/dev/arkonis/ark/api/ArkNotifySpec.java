package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Spec of an ArkNotify, with the original cookbook's field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkNotifySpec(
        @Required NotifyChannel channel,
        @Required @Size(min = 1, max = 20) @JsonPropertyDescription("Which events are sent, each with its message template.")
        List<NotifyEvent> events,
        @JsonPropertyDescription("At most maxPerWindow messages per (team, event type) in any windowSeconds; unset = no limit.")
        RateLimiting rateLimiting) {

    public List<NotifyEvent> eventList() {
        return events == null ? List.of() : events;
    }
}
