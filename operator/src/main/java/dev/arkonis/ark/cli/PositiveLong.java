package dev.arkonis.ark.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A count that must be at least 1, such as a token budget. */
final class PositiveLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        long n;
        try {
            n = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 1) {
            throw new TypeConversionException("'" + value + "' must be at least 1");
        }
        return n;
    }
}
