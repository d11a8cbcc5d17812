package dev.arkonis.ark.operator.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalLinkSettingsTest {
    private static final String KEY = "k".repeat(64);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void linksNeedTheWebhookPortAndAKeyOfAtLeast32Bytes() {
        assertThat(ApprovalLinkSettings.fromEnv(Map.of("APPROVAL_LINK_KEY", KEY), false, "https://hooks.example").links())
                .as("no port to serve them").isEmpty();
        assertThat(ApprovalLinkSettings.fromEnv(Map.of(), true, "https://hooks.example").links()).as("no key").isEmpty();
        assertThatThrownBy(() -> ApprovalLinkSettings.fromEnv(Map.of("APPROVAL_LINK_KEY", "short"), true, "https://h"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short");
        ApprovalLinkSettings on = ApprovalLinkSettings.fromEnv(Map.of("APPROVAL_LINK_KEY", KEY), true,
                "https://hooks.example");
        assertThat(on.links()).isPresent();
        assertThat(on.links().get().url(new ApprovalLinks.Grant("ns", "r", "uid", "gate", 1, "ops", NOW)))
                .startsWith("https://hooks.example/approvals/");
        assertThat(on.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aLinkExpiresWithTheStepsTimeoutAndNeverAfterMaxAge() {
        ApprovalLinkSettings links = ApprovalLinkSettings.fromEnv(Map.of("APPROVAL_LINK_KEY", KEY,
                "APPROVAL_LINK_MAX_AGE", "48h"), true, "https://hooks.example");
        assertThat(links.expiry(Optional.empty(), NOW)).isEqualTo(NOW.plus(Duration.ofHours(48)));
        assertThat(links.expiry(Optional.of(NOW.plusSeconds(600)), NOW)).isEqualTo(NOW.plusSeconds(600));
        assertThat(links.expiry(Optional.of(NOW.plus(Duration.ofDays(30))), NOW)).isEqualTo(NOW.plus(Duration.ofHours(48)));
        assertThatThrownBy(() -> ApprovalLinkSettings.fromEnv(Map.of("APPROVAL_LINK_KEY", KEY,
                "APPROVAL_LINK_MAX_AGE", "10s"), true, "https://h")).isInstanceOf(InvalidConfigException.class);
    }
}
