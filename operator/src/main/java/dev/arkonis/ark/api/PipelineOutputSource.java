package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A team in the event's namespace whose finished runs fire the event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineOutputSource(
        @Required @JsonPropertyDescription("Team to watch.") String name,
        @Default("Succeeded") @JsonPropertyDescription("Phase of its run that fires: Succeeded (default), Failed, or * (any end).")
        OnPhase onPhase) {

    public enum OnPhase {
        @JsonProperty("Succeeded") SUCCEEDED,
        @JsonProperty("Failed") FAILED,
        @JsonProperty("*") ANY;

        public boolean matches(RunPhase phase) {
            return switch (this) {
                case SUCCEEDED -> phase == RunPhase.Succeeded;
                case FAILED -> phase == RunPhase.Failed || phase == RunPhase.TimedOut;
                case ANY -> phase != null && phase.isFinished();
            };
        }
    }

    public OnPhase effectiveOnPhase() {
        return onPhase == null ? OnPhase.SUCCEEDED : onPhase;
    }
}
