package dev.arkonis.ark.queue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How long a loop waits before it tries a failed Redis call again: doubling from {@code initial} up to {@code max},
 * back to {@code initial} after a success. One instance per loop; not thread-safe.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** 100 ms doubling to 2 s: what every Redis loop of ark uses (Lettuce reconnects on the same scale). */
    public static Backoff forRedis() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /** The delay to wait now; the one after it is longer. */
    public Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }

    public void reset() {
        next = initial;
    }

    /**
     * Waits the next delay, or until {@code stop} opens; returns true when it was stopped.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean pause(CountDownLatch stop) throws InterruptedException {
        return stop.await(next().toMillis(), TimeUnit.MILLISECONDS);
    }
}
