package dev.arkonis.ark.flow;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as Go and kubectl users write them: {@code 90} (seconds), {@code 90s}, {@code 5m}, {@code 1h30m},
 * {@code 1.5h}, {@code 800ms}, or ISO-8601 ({@code PT5M}). Negative durations and ones too long to count are refused.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("((\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000), "µs", BigDecimal.valueOf(1_000),
            "μs", BigDecimal.valueOf(1_000), "ms", BigDecimal.valueOf(1_000_000), "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L), "h", BigDecimal.valueOf(3_600_000_000_000L));
    /** Longer than any run; also keeps the value inside what an int of seconds holds. */
    public static final Duration LONGEST = Duration.ofSeconds(Integer.MAX_VALUE);

    private Durations() {
    }

    /** The duration, or an IllegalArgumentException whose message says what is wrong with {@code value}. */
    public static Duration parse(String value) {
        String v = value.strip();
        if (v.startsWith("-")) {
            throw new IllegalArgumentException("'" + value + "' is negative; give a duration such as 90s, 5m or 1h30m");
        }
        Duration d = parseUnsigned(v.startsWith("+") ? v.substring(1) : v, value);
        if (d.compareTo(LONGEST) > 0) {
            throw tooLong(value);
        }
        return d;
    }

    private static Duration parseUnsigned(String v, String original) {
        if (v.isEmpty()) {
            throw notADuration(original);
        }
        if (v.matches("\\d+")) {
            if (v.length() > 12) {
                throw tooLong(original);
            }
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("'" + original + "' is negative");
                }
                return d;
            } catch (DateTimeParseException | ArithmeticException e) {
                throw notADuration(original);
            }
        }
        if (!WHOLE.matcher(v).matches()) {
            throw notADuration(original);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(v);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(NANOS.get(part.group(2))));
        }
        BigDecimal max = BigDecimal.valueOf(LONGEST.getSeconds()).multiply(NANOS.get("s"));
        if (nanos.compareTo(max) > 0) {
            throw tooLong(original);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static IllegalArgumentException tooLong(String value) {
        return new IllegalArgumentException("'" + value + "' is too long (at most " + LONGEST.toDays() + " days)");
    }

    private static IllegalArgumentException notADuration(String value) {
        return new IllegalArgumentException("'" + value + "' is not a duration (examples: 90, 90s, 5m, 1h30m, 800ms)");
    }
}
