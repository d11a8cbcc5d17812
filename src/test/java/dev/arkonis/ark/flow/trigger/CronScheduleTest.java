package dev.arkonis.ark.flow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final Instant MONDAY_0800 = Instant.parse("2026-03-02T08:00:00Z");

    @Test
    void weekdaysAtEightInUtcByDefault() throws Exception {
        CronSchedule schedule = CronSchedule.parse("0 8 * * 1-5", null);
        assertThat(schedule.next(MONDAY_0800)).contains(Instant.parse("2026-03-03T08:00:00Z"));
        assertThat(schedule.latestAtOrBefore(MONDAY_0800)).as("a slot is due at its own instant").contains(MONDAY_0800);
        assertThat(schedule.latestAtOrBefore(MONDAY_0800.minusSeconds(1))).contains(Instant.parse("2026-02-27T08:00:00Z"));
        assertThat(schedule.next(Instant.parse("2026-03-06T09:00:00Z"))).as("Friday after 8 -> Monday")
                .contains(Instant.parse("2026-03-09T08:00:00Z"));
    }

    @Test
    void aTimeZoneMovesTheSlots() throws Exception {
        CronSchedule schedule = CronSchedule.parse("0 9 * * *", "Asia/Tokyo");
        Instant expected = ZonedDateTime.of(2026, 3, 3, 9, 0, 0, 0, ZoneId.of("Asia/Tokyo")).toInstant();
        assertThat(schedule.next(MONDAY_0800)).contains(expected);
        assertThat(expected).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
    }

    @Test
    void daylightSavingDoesNotRepeatOrDropADay() throws Exception {
        CronSchedule schedule = CronSchedule.parse("30 1 * * *", "Europe/Paris");
        // 2026-03-29: clocks go from 02:00 to 03:00 in Paris; 01:30 exists once, an hour closer to UTC midnight after
        assertThat(schedule.next(Instant.parse("2026-03-28T12:00:00Z"))).contains(Instant.parse("2026-03-29T00:30:00Z"));
        assertThat(schedule.next(Instant.parse("2026-03-29T00:30:00Z"))).contains(Instant.parse("2026-03-29T23:30:00Z"));
    }

    @Test
    void countsMissedSlots() throws Exception {
        CronSchedule schedule = CronSchedule.parse("*/15 * * * *", "UTC");
        assertThat(schedule.countBetween(Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-02T09:00:00Z"), 100))
                .isEqualTo(4);
        assertThat(schedule.countBetween(Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-03T08:00:00Z"), 10))
                .as("capped").isEqualTo(10);
    }

    @Test
    void nicknamesAndSundayAsSeven() throws Exception {
        assertThat(CronSchedule.parse("@daily", null).next(MONDAY_0800)).contains(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(CronSchedule.parse("0 8 * * 7", null).next(MONDAY_0800)).contains(Instant.parse("2026-03-08T08:00:00Z"));
    }

    @Test
    void badExpressionsAndZonesNameTheField() {
        assertThatThrownBy(() -> CronSchedule.parse("0 8 * *", null)).hasMessageStartingWith("cron: invalid expression \"0 8 * *\"")
                .hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", null)).hasMessageContaining("61");
        assertThatThrownBy(() -> CronSchedule.parse("", null)).hasMessage("cron: required for a cron source");
        assertThatThrownBy(() -> CronSchedule.parse("0 8 * * *", "Mars/Olympus"))
                .hasMessageStartingWith("timeZone: unknown time zone \"Mars/Olympus\"");
    }
}
