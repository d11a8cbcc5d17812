package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;

/**
 * An accepted answer a transport keeps in the step cache: under {@code key}, for {@code maxAge}, with the run that
 * paid for it and what it cost (what a later hit saves).
 */
public record CacheWrite(String step, String role, String key, Duration maxAge, String output, TokenUsage tokens,
                         String run, Instant at) {
}
