package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * Replicas that follow the work: {@code min(ceil(work / maxConcurrentTasks), replicas)}, where work is the role's
 * tasks queued and in progress and {@code replicas} the most it may have; with {@code scaleToZero} an idle role goes
 * to 0 after {@code afterSeconds}, else it keeps one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Autoscaling(
        @JsonPropertyDescription("Set replicas from the pending work, up to spec.replicas.") Boolean enabled,
        @JsonPropertyDescription("Take an idle role to zero replicas.") ScaleToZero scaleToZero) {

    public static final int DEFAULT_IDLE_SECONDS = 300;

    /** Scales an idle role to zero after it has had no work for {@code afterSeconds}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleToZero(
            Boolean enabled,
            @Default("300") @Min(1) @JsonPropertyDescription("Seconds without work before the role goes to zero.")
            Integer afterSeconds) {
    }

    public boolean isEnabled() {
        return Boolean.TRUE.equals(enabled);
    }

    public boolean scalesToZero() {
        return isEnabled() && scaleToZero != null && Boolean.TRUE.equals(scaleToZero.enabled());
    }

    public int idleSeconds() {
        return scaleToZero == null || scaleToZero.afterSeconds() == null ? DEFAULT_IDLE_SECONDS : scaleToZero.afterSeconds();
    }
}
