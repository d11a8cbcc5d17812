package dev.arkonis.ark.flow.trigger;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A 5-field cron schedule in a time zone (cron-utils' UNIX definition: day-of-month and day-of-week combine with OR,
 * 7 is Sunday) plus the @hourly/@daily/... nicknames the original accepted. Slots fall on whole minutes.
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** @param timeZone an IANA zone name; null or blank = UTC */
    public static CronSchedule parse(String expression, String timeZone) throws InvalidScheduleException {
        ZoneId zone = zone(timeZone);
        if (expression == null || expression.isBlank()) {
            throw new InvalidScheduleException("cron: required for a cron source");
        }
        String fields = NICKNAMES.getOrDefault(expression.strip().toLowerCase(Locale.ROOT), expression.strip());
        try {
            Cron cron = PARSER.parse(fields);
            cron.validate();
            return new CronSchedule(expression, zone, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("cron: invalid expression \"" + expression + "\": " + e.getMessage()
                    + " (5 fields: minute hour day-of-month month day-of-week)");
        }
    }

    private static ZoneId zone(String timeZone) throws InvalidScheduleException {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("timeZone: unknown time zone \"" + timeZone + "\" (use an IANA name such as Europe/Paris)");
        }
    }

    /** The first slot strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(at(after)).map(ZonedDateTime::toInstant);
    }

    /** The latest slot at or before {@code moment}. */
    public Optional<Instant> latestAtOrBefore(Instant moment) {
        ZonedDateTime minute = at(moment).truncatedTo(ChronoUnit.MINUTES);
        if (times.isMatch(minute)) {
            return Optional.of(minute.toInstant());
        }
        return times.lastExecution(minute).map(ZonedDateTime::toInstant);
    }

    /** How many slots fall in (from, to], counting no further than {@code cap}. */
    public int countBetween(Instant from, Instant to, int cap) {
        int count = 0;
        Optional<Instant> slot = next(from);
        while (slot.isPresent() && !slot.get().isAfter(to) && count < cap) {
            count++;
            slot = next(slot.get());
        }
        return count;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    private ZonedDateTime at(Instant instant) {
        return instant.atZone(zone);
    }

    /** A cron expression or time zone that cannot be used; the message names the field. */
    public static final class InvalidScheduleException extends Exception {
        public InvalidScheduleException(String message) {
            super(message);
        }
    }
}
