package dev.arkonis.ark.operator.approval;

import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.flow.Durations;
import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether approval steps can be decided through links, read from the environment (the chart sets it): only with the
 * webhook port on ({@code TRIGGER_WEBHOOK_ENABLED}) and a key ({@code APPROVAL_LINK_KEY}, at least 32 bytes, from
 * the Secret the chart makes); the links start with the webhook's public URL ({@code TRIGGER_WEBHOOK_URL}, else the
 * chart's Service) and live until the step's approval.timeout, or {@code APPROVAL_LINK_MAX_AGE} (default 168h).
 */
public record ApprovalLinkSettings(Optional<ApprovalLinks> links, Duration maxAge) {
    public static final ApprovalLinkSettings OFF = new ApprovalLinkSettings(Optional.empty(), Duration.ofDays(7));
    private static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

    /**
     * @param webhookEnabled whether the operator serves its webhook port
     * @param publicBase     where people reach that port (the links start with it)
     */
    public static final Setting<Optional<String>> KEY = Setting.optional("APPROVAL_LINK_KEY")
            .value("text, at least 32 bytes").chart("approvalLinks.enabled")
            .means("the key approval links are signed with (the chart generates it into the Secret"
                    + " `ark-approval-links`); with `TRIGGER_WEBHOOK_ENABLED`, ArkNotify's `ApprovalRequested` messages"
                    + " carry links that decide the step");
    public static final Setting<Optional<String>> MAX_AGE = Setting.optional("APPROVAL_LINK_MAX_AGE")
            .value("duration, at least 1m").shownDefault("168h").chart("approvalLinks.maxAge")
            .means("how long a link lives at most (the step's `approval.timeout` may end it sooner)");
    public static final List<Setting<?>> SETTINGS = List.of(KEY, MAX_AGE);

    public static ApprovalLinkSettings fromEnv(Map<String, String> env, boolean webhookEnabled, String publicBase) {
        Settings settings = new Settings(env);
        Optional<String> key = settings.get(KEY);
        if (!webhookEnabled || key.isEmpty()) {
            return OFF;
        }
        byte[] bytes = key.get().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new InvalidConfigException(KEY.name() + " must be at least 32 bytes, not " + bytes.length);
        }
        Duration maxAge;
        try {
            maxAge = settings.get(MAX_AGE).map(Durations::parse).orElse(DEFAULT_MAX_AGE);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(MAX_AGE.name() + ": " + e.getMessage());
        }
        if (maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidConfigException(MAX_AGE.name() + " must be at least 1m, not " + maxAge);
        }
        return new ApprovalLinkSettings(Optional.of(new ApprovalLinks(bytes, publicBase)), maxAge);
    }

    /** When a link sent now expires: with the step's own timeout, if it has one, and never later than maxAge. */
    public Instant expiry(Optional<Instant> stepDeadline, Instant now) {
        Instant latest = now.plus(maxAge);
        return stepDeadline.filter(deadline -> deadline.isBefore(latest)).orElse(latest);
    }
}
