package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How notifications are delivered, read from the environment.
 *
 * @param attempts      tries per message before it counts as failed ({@code NOTIFY_ATTEMPTS}, default 5)
 * @param firstBackoff  wait before the second try, doubling after each ({@code NOTIFY_BACKOFF_MS}, default 1000)
 * @param maxBackoff    the longest wait between tries (60 s)
 * @param timeout       per HTTP request ({@code NOTIFY_TIMEOUT_SECONDS}, default 10)
 * @param dashboardUrl  base of {@code .run.dashboardUrl} ({@code NOTIFY_DASHBOARD_URL}); empty = the field is ""
 */
public record NotifySettings(int attempts, Duration firstBackoff, Duration maxBackoff, Duration timeout,
                             Optional<String> dashboardUrl) {

    public static NotifySettings fromEnv(Map<String, String> env) {
        return new NotifySettings(
                number(env, "NOTIFY_ATTEMPTS", 5, 1, 100),
                Duration.ofMillis(number(env, "NOTIFY_BACKOFF_MS", 1000, 1, 3_600_000)),
                Duration.ofSeconds(60),
                Duration.ofSeconds(number(env, "NOTIFY_TIMEOUT_SECONDS", 10, 1, 600)),
                Optional.ofNullable(env.get("NOTIFY_DASHBOARD_URL")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s));
    }

    /** The wait before try {@code attempt + 1}. */
    Duration backoff(int attempt) {
        long millis = firstBackoff.toMillis() << Math.min(20, attempt - 1);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new InvalidConfigException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }
}
