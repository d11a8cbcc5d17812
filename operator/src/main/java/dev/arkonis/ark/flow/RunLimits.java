package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkTeamSpec;
import java.time.Duration;

/** Whole-run limits: a timeout and a token budget, either of which may be absent. */
public record RunLimits(Duration timeout, Long maxTokens) {
    public static final RunLimits NONE = new RunLimits(null, null);

    /** The team's limits, overridden by the run's where given. */
    public static RunLimits of(ArkTeamSpec team, Integer timeoutSecondsOverride, Long maxTokensOverride) {
        Integer seconds = timeoutSecondsOverride != null ? timeoutSecondsOverride : team.timeoutSeconds();
        return new RunLimits(seconds == null ? null : Duration.ofSeconds(seconds),
                maxTokensOverride != null ? maxTokensOverride : team.maxTokens());
    }
}
