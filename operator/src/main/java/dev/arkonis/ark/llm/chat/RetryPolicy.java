package dev.arkonis.ark.llm.chat;

import java.time.Duration;

/**
 * How transient HTTP failures (429, 5xx, connection errors, timeouts) are retried.
 *
 * @param firstBackoff   wait after the first failure when the server gives no Retry-After; doubles each time
 * @param maxBackoff     longest wait between two attempts
 * @param maxAttempts    attempts per HTTP request, the first included
 * @param noDeadlineBudget how long to keep retrying when the request has no deadline
 */
public record RetryPolicy(Duration firstBackoff, Duration maxBackoff, int maxAttempts, Duration noDeadlineBudget) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(20), 8, Duration.ofMinutes(5));

    /** Exponential wait before attempt {@code failures + 1}. */
    public Duration backoff(int failures) {
        long millis = firstBackoff.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
