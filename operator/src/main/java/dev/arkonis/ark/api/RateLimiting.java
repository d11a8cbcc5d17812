package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimiting(@Default("300") @Min(1) Long windowSeconds, @Default("1") @Min(1) Integer maxPerWindow) {
    public static final long DEFAULT_WINDOW_SECONDS = 300;

    public long effectiveWindowSeconds() {
        return windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
    }

    public int effectiveMaxPerWindow() {
        return maxPerWindow == null ? 1 : maxPerWindow;
    }
}
