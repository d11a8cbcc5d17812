package dev.arkonis.ark.dashboard.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arkonis.ark.cli.StepLines;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers, durations and times as the pages show them: exact, with the machine-readable value beside. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Format() {
    }

    /** 12,345: every digit, grouped. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** As the CLI shows it: 640ms, 1.2s, 3m05s; "" when unknown. */
    public static String duration(Duration d) {
        return d == null ? "" : StepLines.format(d);
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** ISO 8601 for a {@code <time datetime>}: the exact instant or duration. */
    public static String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    public static String iso(Duration d) {
        return d == null ? "" : d.toString();
    }

    /** An output as people read it: JSON pretty-printed when it is JSON (an object or a list), else the text. */
    public static Output output(String text) {
        if (text == null) {
            return new Output("", false);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                if (node != null && node.isContainerNode()) {
                    return new Output(JSON.writeValueAsString(node), true);
                }
            } catch (java.io.IOException notJson) {
                // shown as text
            }
        }
        return new Output(text, false);
    }

    /** The text to show, and whether it is pretty-printed JSON. */
    public record Output(String text, boolean json) {
    }

    /** Up to {@code max} characters of one line, with an ellipsis when cut. */
    public static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, Math.max(1, max - 1)) + "…";
    }
}
