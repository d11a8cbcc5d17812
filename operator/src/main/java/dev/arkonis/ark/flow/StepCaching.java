package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.CacheSpec;
import java.time.Duration;
import java.util.Optional;

/** Which steps may be answered from the step cache, and how old a reused answer may be. */
final class StepCaching {
    private StepCaching() {
    }

    /** The step's own cache, else the team's; never for approval or loop steps, whose answers are not one prompt's. */
    static Optional<Duration> maxAge(Pipeline pipeline, StepDefinition def) {
        if (def.spec().waitsForApproval() || def.spec().loop() != null) {
            return Optional.empty();
        }
        CacheSpec cache = def.spec().cache() != null ? def.spec().cache() : pipeline.spec().cache();
        if (cache == null || cache.maxAge() == null || cache.maxAge().isBlank()) {
            return Optional.empty();
        }
        Duration maxAge = Durations.parse(cache.maxAge());
        return maxAge.isZero() ? Optional.empty() : Optional.of(maxAge);
    }
}
