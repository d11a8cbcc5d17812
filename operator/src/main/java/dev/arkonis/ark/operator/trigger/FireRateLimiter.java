package dev.arkonis.ark.operator.trigger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per ArkEvent: {@code perMinute} fires as a burst, refilled evenly over the minute. */
final class FireRateLimiter {
    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    FireRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes one fire for {@code key}; empty when allowed, else how long until one is free. */
    java.util.Optional<Duration> acquire(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            double perMilli = perMinute / 60_000.0;
            bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * perMilli);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Duration.ofMillis((long) Math.ceil((1 - bucket.tokens) / perMilli)));
        }
    }

    void forget(String key) {
        buckets.remove(key);
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
