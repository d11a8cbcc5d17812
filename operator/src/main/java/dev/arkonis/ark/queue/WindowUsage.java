package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens recorded in a window ending now (Redis's clock), counted by whole buckets (a minute for the 24 h window): a
 * bucket counts while any part of it is inside the window, so usage is never under-reported.
 *
 * @param oldestBucket start of the oldest bucket with tokens in the window, if any
 * @param bucket       the length of a bucket
 * @param measuredAt   Redis's time when the window was read
 * @param freesAt      when usage drops below the limit it was read against, if it is not below it now
 */
public record WindowUsage(TokenUsage usage, Optional<Instant> oldestBucket, Duration bucket, Instant measuredAt,
                          Optional<Instant> freesAt) {

    /** When the oldest bucket's tokens leave a window of this length (the earliest usage can drop). */
    public Optional<Instant> oldestLeavesAt(Duration window) {
        return oldestBucket.map(start -> start.plus(bucket).plus(window));
    }
}
