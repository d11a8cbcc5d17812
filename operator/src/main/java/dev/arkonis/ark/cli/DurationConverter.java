package dev.arkonis.ark.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as users write them: 90, 90s, 5m, 1h, or ISO-8601 (PT5M). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase();
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new TypeConversionException("unknown unit '" + unit + "' in " + value);
            };
        } catch (RuntimeException e) {
            if (e instanceof TypeConversionException tce) {
                throw tce;
            }
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 90, 90s, 5m, 1h)");
        }
    }
}
