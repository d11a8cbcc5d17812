package dev.arkonis.ark.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as Go and kubectl users write them: {@code 90} (seconds), {@code 90s}, {@code 5m}, {@code 1h30m},
 * {@code 1.5h}, {@code 800ms}, or ISO-8601 ({@code PT5M}). Negative durations and ones too long to count are refused.
 */
class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("((\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000), "µs", BigDecimal.valueOf(1_000),
            "μs", BigDecimal.valueOf(1_000), "ms", BigDecimal.valueOf(1_000_000), "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L), "h", BigDecimal.valueOf(3_600_000_000_000L));
    /** Longer than any run; also keeps the value inside what an int of seconds holds. */
    static final Duration LONGEST = Duration.ofSeconds(Integer.MAX_VALUE);

    @Override
    public Duration convert(String value) {
        String v = value.strip();
        if (v.startsWith("-")) {
            throw new TypeConversionException("'" + value + "' is negative; give a duration such as 90s, 5m or 1h30m");
        }
        Duration d = parse(v.startsWith("+") ? v.substring(1) : v, value);
        if (d.compareTo(LONGEST) > 0) {
            throw new TypeConversionException("'" + value + "' is too long (at most " + LONGEST.toDays() + " days)");
        }
        return d;
    }

    private static Duration parse(String v, String original) {
        if (v.isEmpty()) {
            throw notADuration(original);
        }
        if (v.matches("\\d+")) {
            if (v.length() > 12) {
                throw new TypeConversionException("'" + original + "' is too long (at most " + LONGEST.toDays() + " days)");
            }
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new TypeConversionException("'" + original + "' is negative");
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
            throw new TypeConversionException("'" + original + "' is too long (at most " + LONGEST.toDays() + " days)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static TypeConversionException notADuration(String value) {
        return new TypeConversionException("'" + value + "' is not a duration (examples: 90, 90s, 5m, 1h30m, 800ms)");
    }

    /** A timeout: at least one second (timeouts count whole seconds; a fraction is rounded up). */
    static final class Timeout extends DurationConverter {
        @Override
        public Duration convert(String value) {
            Duration d = super.convert(value);
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new TypeConversionException("'" + value + "' is too short: a timeout is at least 1s");
            }
            long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
            return Duration.ofSeconds(Math.min(seconds, LONGEST.getSeconds()));
        }
    }
}
