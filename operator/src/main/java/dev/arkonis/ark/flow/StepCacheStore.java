package dev.arkonis.ark.flow;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a transport keeps the accepted answers of cached steps between runs: {@code ark run} on disk, the operator in
 * Redis under each role's key prefix.
 */
public interface StepCacheStore {
    /** No cache ({@code --no-cache}): nothing is found, nothing kept. */
    StepCacheStore NONE = new StepCacheStore() {
        @Override
        public Optional<CachedAnswer> find(CacheLookup lookup, Instant now) {
            return Optional.empty();
        }

        @Override
        public void keep(CacheWrite write) {
        }
    };

    /** The answer kept for the lookup's key, if it is no older than the lookup's maxAge at {@code now}. */
    Optional<CachedAnswer> find(CacheLookup lookup, Instant now);

    void keep(CacheWrite write);
}
