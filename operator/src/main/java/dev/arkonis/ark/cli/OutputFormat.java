package dev.arkonis.ark.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What {@code -o} prints: text for people, json or yaml for programs; wide and name for lists, as kubectl does. */
enum OutputFormat {
    text, json, yaml, wide, name;

    static Optional<OutputFormat> parse(String value) {
        return Arrays.stream(values()).filter(f -> f.name().equals(value.toLowerCase(Locale.ROOT).strip())).findFirst();
    }

    boolean isDocument() {
        return this == json || this == yaml;
    }
}
