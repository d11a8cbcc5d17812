package dev.arkonis.ark.local;

import dev.arkonis.ark.flow.CacheWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Where a local run keeps accepted answers of cached steps between runs. */
public interface StepCacheStore {
    /** No cache ({@code --no-cache}): nothing is found, nothing kept. */
    StepCacheStore NONE = new StepCacheStore() {
        @Override
        public Optional<CachedAnswer> find(String key, Duration maxAge, Instant now) {
            return Optional.empty();
        }

        @Override
        public void keep(CacheWrite write) {
        }
    };

    /** The answer kept under {@code key}, if it is no older than {@code maxAge} at {@code now}. */
    Optional<CachedAnswer> find(String key, Duration maxAge, Instant now);

    void keep(CacheWrite write);
}
