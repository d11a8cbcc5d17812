package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter any = new DurationConverter();
    private final DurationConverter timeout = new DurationConverter.Timeout();

    @Test
    void goAndKubectlFormsAreRead() {
        assertThat(any.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(any.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(any.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(any.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(any.convert("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(any.convert("2h45m30.5s")).isEqualTo(Duration.ofMillis(9_930_500));
        assertThat(any.convert("800ms")).isEqualTo(Duration.ofMillis(800));
        assertThat(any.convert("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(any.convert("0")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "-5s", "ten minutes", "5x", "", "1h-30m", "2147483648", "99999999999999999999", "1000000h"})
    void nonsenseNegativesAndOverflowAreRefused(String value) {
        assertThatThrownBy(() -> any.convert(value)).isInstanceOf(TypeConversionException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "500ms", "-5"})
    void aTimeoutIsAtLeastASecond(String value) {
        assertThatThrownBy(() -> timeout.convert(value)).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void aTimeoutCountsWholeSecondsRoundedUp() {
        assertThat(timeout.convert("1.2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(timeout.convert("2147483647")).isEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
    }
}
