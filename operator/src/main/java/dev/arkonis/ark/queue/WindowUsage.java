package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens recorded in a window ending now (Redis's clock), counted by whole minutes: a minute
 * counts while any part of it is inside the window, so usage is never under-reported.
 *
 * @param oldestMinute start of the oldest minute with tokens in the window, if any
 * @param measuredAt   Redis's time when the window was read
 */
public record WindowUsage(TokenUsage usage, Optional<Instant> oldestMinute, Instant measuredAt) {

    /** When the oldest minute's tokens leave a window of this length (the earliest usage can drop). */
    public Optional<Instant> oldestLeavesAt(Duration window) {
        return oldestMinute.map(start -> start.plus(Duration.ofMinutes(1)).plus(window));
    }
}
