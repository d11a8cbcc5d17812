package dev.arkonis.ark.operator.notify;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.time.Duration;
import java.util.List;
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
 * @param egress        where channels may be ({@code ARK_EGRESS_ALLOW}: not loopback, link-local, the API server or
 *                      Redis unless allowed)
 */
public record NotifySettings(int attempts, Duration firstBackoff, Duration maxBackoff, Duration timeout,
                             Optional<String> dashboardUrl, EgressPolicy egress) {

    public static final Setting<Optional<String>> DASHBOARD_URL = Setting.baseUrl("NOTIFY_DASHBOARD_URL")
            .chart("notify.dashboardUrl")
            .means("base of `.run.dashboardUrl` in ArkNotify templates (`<base>/namespaces/<ns>/runs/<run>`); empty = `\"\"`");
    public static final Setting<Integer> ATTEMPTS = Setting.integer("NOTIFY_ATTEMPTS", 5, 1, 100)
            .means("tries per notification before it counts as failed");
    public static final Setting<Integer> BACKOFF_MS = Setting.integer("NOTIFY_BACKOFF_MS", 1000, 1, 3_600_000)
            .value("milliseconds, 1 to 3600000").means("wait before the second try, doubling after each up to 60 s");
    public static final Setting<Integer> TIMEOUT_SECONDS = Setting.integer("NOTIFY_TIMEOUT_SECONDS", 10, 1, 600)
            .value("seconds, 1 to 600").means("HTTP timeout of one try");
    public static final List<Setting<?>> SETTINGS = List.of(DASHBOARD_URL, ATTEMPTS, BACKOFF_MS, TIMEOUT_SECONDS);

    public static NotifySettings fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        try {
            return new NotifySettings(
                    settings.get(ATTEMPTS),
                    Duration.ofMillis(settings.get(BACKOFF_MS)),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(settings.get(TIMEOUT_SECONDS)),
                    settings.get(DASHBOARD_URL),
                    EgressPolicy.forCluster(env));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** The wait before try {@code attempt + 1}. */
    Duration backoff(int attempt) {
        long millis = firstBackoff.toMillis() << Math.min(20, attempt - 1);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
