package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line, as {@link Durations} reads them. */
class DurationConverter implements ITypeConverter<Duration> {
    static final Duration LONGEST = Durations.LONGEST;

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
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
