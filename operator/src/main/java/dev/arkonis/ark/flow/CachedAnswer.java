package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** An accepted answer kept in the step cache: what it said, which run paid for it, when, and what it cost then. */
public record CachedAnswer(String output, String run, Instant at, TokenUsage tokens) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An entry {@link CacheWrite#toJson} wrote; empty when it is unreadable, which a store treats as a miss. */
    public static Optional<CachedAnswer> fromJson(String text) {
        JsonNode entry;
        try {
            entry = text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (entry == null || !entry.path("output").isTextual() || !entry.path("at").isTextual()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = Instant.parse(entry.path("at").asText());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        TokenUsage tokens = TokenUsage.of(entry.path("tokens").path("input").asLong(),
                entry.path("tokens").path("output").asLong());
        return Optional.of(new CachedAnswer(entry.path("output").asText(), entry.path("run").asText(null), at, tokens));
    }

    /** Whether a step that accepts answers up to {@code maxAge} old may take this one at {@code now}. */
    public boolean freshFor(Duration maxAge, Instant now) {
        return !at.plus(maxAge).isBefore(now);
    }
}
