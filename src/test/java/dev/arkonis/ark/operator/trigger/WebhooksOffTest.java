package dev.arkonis.ark.operator.trigger;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.queue.RedisFixture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import dev.arkonis.ark.operator.MockCluster;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With webhooks off (the chart's default) the operator listens on no webhook port and says so on webhook events. */
class WebhooksOffTest {
    @Test
    void nothingListensAndAWebhookEventSaysWhy() {
        int port = RedisFixture.freePort();
        // the chart's default: TRIGGER_WEBHOOK_ENABLED unset
        Map<String, String> off = MockCluster.env("TRIGGER_WEBHOOK_PORT", Integer.toString(port));
        try (TriggerCluster cluster = new TriggerCluster(off, Clock.systemUTC())) {
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkEvent
                    metadata: {name: hook, namespace: team-ns}
                    spec:
                      source: {type: webhook}
                      targets: [{team: t}]
                    """, ArkEvent.class);
            eventually().untilAsserted(() -> assertThat(cluster.status("hook").conditions()).anySatisfy(c -> {
                assertThat(c.getReason()).isEqualTo("WebhooksDisabled");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getMessage()).contains("triggerWebhook.enabled=true");
            }));
            assertThat(cluster.status("hook").webhookURL()).isNull();
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }
}
