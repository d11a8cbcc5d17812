package dev.arkonis.ark.flow;

import java.time.Duration;

/** A task that may be answered from the step cache: an answer stored under {@code key} no older than {@code maxAge}. */
public record CacheLookup(String step, String role, String key, Duration maxAge) {
}
