package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;

/** An accepted answer kept in the step cache: what it said, which run paid for it, when, and what it cost then. */
public record CachedAnswer(String output, String run, Instant at, TokenUsage tokens) {
}
