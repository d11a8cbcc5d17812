package dev.arkonis.ark.operator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.NotifyChannel;
import dev.arkonis.ark.api.NotifyEventType;
import dev.arkonis.ark.egress.EgressPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An ArkNotify channel cannot be pointed at the operator's pod, cloud metadata or the API server. */
class ChannelEgressTest {
    private static final Notice NOTICE = new Notice(NotifyEventType.TeamSucceeded, "ns", "team", "run-1", Map.of());

    private static ChannelClient.Outcome send(EgressPolicy egress, String url) {
        return new ChannelClient(Duration.ofSeconds(2), egress).send(NotifyChannel.Type.WEBHOOK, url, "n", NOTICE, "hi");
    }

    @Test
    void loopbackIsRefusedUnlessAllowedAndNothingIsSent() {
        try (Receiver receiver = new Receiver()) {
            String url = receiver.url("/hooks/s3cr3tpath?token=t0ken");
            ChannelClient.Outcome refused = send(EgressPolicy.forCluster(Map.of()), url);
            assertThat(refused.delivered()).isFalse();
            assertThat(refused.retryable()).as("it will not heal").isFalse();
            assertThat(refused.problem()).isEqualTo("the channel URL is refused: it leads to a loopback address"
                    + " (this pod itself); ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this");
            assertThat(receiver.requests()).isEmpty();

            ChannelClient.Outcome allowed = send(EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "127.0.0.1")), url);
            assertThat(allowed.delivered()).isTrue();
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void metadataAndTheApiServerAreRefused() {
        EgressPolicy egress = EgressPolicy.forCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"));
        assertThat(send(egress, "http://169.254.169.254/latest/meta-data/").problem())
                .startsWith("the channel URL is refused: it leads to a link-local address");
        assertThat(send(egress, "https://10.96.0.1/api/v1/namespaces").problem())
                .startsWith("the channel URL is refused: it leads to the cluster's API server");
    }

    @Test
    void whatTheChannelAnsweredIsNotCopied() {
        try (Receiver receiver = new Receiver()) {
            receiver.answerAlways(500);
            ChannelClient.Outcome failed = send(EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "127.0.0.1")),
                    receiver.url("/hooks/s3cr3tpath"));
            assertThat(failed.problem()).isEqualTo("the channel answered HTTP 500");
            assertThat(failed.retryable()).isTrue();
        }
    }
}
