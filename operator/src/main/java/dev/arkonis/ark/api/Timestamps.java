package dev.arkonis.ark.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Times as objects hold them (RFC 3339 text), read leniently: absent, blank or malformed is no time at all. */
public final class Timestamps {
    private Timestamps() {
    }

    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
