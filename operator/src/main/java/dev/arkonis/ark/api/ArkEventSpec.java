package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Spec of an ArkEvent, with the original's field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkEventSpec(
        @Required TriggerSource source,
        @Required @Size(min = 1, max = 20) @JsonPropertyDescription("Teams to run when the event fires; each gets its own ArkRun.")
        List<TriggerTarget> targets,
        @Default("Allow") @JsonPropertyDescription("Forbid skips a fire while a run this event started is still unfinished.")
        ConcurrencyPolicy concurrencyPolicy,
        @Default("false") @JsonPropertyDescription("Pauses the event without deleting it.") Boolean suspended) {

    public enum ConcurrencyPolicy {
        @JsonProperty("Allow") ALLOW,
        @JsonProperty("Forbid") FORBID
    }

    public List<TriggerTarget> targetList() {
        return targets == null ? List.of() : targets;
    }

    public ConcurrencyPolicy effectiveConcurrencyPolicy() {
        return concurrencyPolicy == null ? ConcurrencyPolicy.ALLOW : concurrencyPolicy;
    }

    public boolean isSuspended() {
        return Boolean.TRUE.equals(suspended);
    }
}
