package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.http.HalfSentRequests;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ArkOperatorTest {
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static MockCluster cluster;

    @BeforeAll
    static void start() {
        LOG.start();
        ((Logger) LoggerFactory.getLogger("operator")).addAppender(LOG);
        cluster = new MockCluster(MockCluster.env("LEADER_ELECTION", "true"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        ((Logger) LoggerFactory.getLogger("operator")).detachAppender(LOG);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + cluster.operator.healthPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").body()).contains("ark_reconcile_duration_seconds_count{controller=\"arkteam\"}");
    }

    @Test
    void healthAnswersWithinAProbeTimeoutWhileManyConnectionsSitHalfSent() throws Exception {
        try (HalfSentRequests held = HalfSentRequests.open(cluster.operator.healthPort(), 64)) {
            String base = "http://127.0.0.1:" + cluster.operator.healthPort();
            assertThat(HalfSentRequests.probe(base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(HalfSentRequests.probe(base + "/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theLeaderHoldsTheArkOperatorLeaseInItsNamespace() {
        eventually().untilAsserted(() -> {
            Lease lease = cluster.client.leases().inNamespace("ark-system").withName("ark-operator").get();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
    }

    @Test
    void aReconcileErrorIsLoggedWithTheResourcesNamespaceAndName() {
        // an ArkAgent nobody owns already has the name the team's role needs: creating it fails
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: clash-writer, namespace: errs}
                spec: {model: gpt-4o}
                """, ArkAgent.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: clash, namespace: errs}
                spec:
                  roles: [{name: writer, model: gpt-4o}]
                  pipeline: [{role: writer, inputs: {prompt: hi}}]
                """, ArkTeam.class);
        eventually().untilAsserted(() -> assertThat(LOG.list).map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("reconcile error ArkTeam errs/clash: ")));
        assertThat(cluster.operator.isStarted()).isTrue();

        // and it reaches the team: a condition in plain words and a Warning Event, counted as it repeats
        eventually().untilAsserted(() -> {
            ArkTeam team = cluster.client.resources(ArkTeam.class).inNamespace("errs").withName("clash").get();
            assertThat(team.getStatus().conditions()).filteredOn(c -> c.getType().equals("Reconciled"))
                    .singleElement().satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("ReconcileError");
                        assertThat(c.getMessage()).isEqualTo("agents: ArkAgent 'clash-writer' already exists");
                    });
        });
        eventually().untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("errs").list().getItems())
                .filteredOn(e -> e.getInvolvedObject().getName().equals("clash") && e.getReason().equals("ReconcileError"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).isEqualTo("agents: ArkAgent 'clash-writer' already exists");
                    assertThat(e.getCount()).isGreaterThanOrEqualTo(2).as("retried, and each failure counted");
                }));
        // and /metrics counts the failures of its controller, as Prometheus reads them
        eventually().untilAsserted(() -> {
            dev.arkonis.ark.telemetry.Promlint.Reading metrics = dev.arkonis.ark.telemetry.Promlint.read(get("/metrics").body());
            assertThat(metrics.problems()).isEmpty();
            assertThat(metrics.value("ark_reconcile_errors_total{controller=\"arkteam\"}")).isGreaterThanOrEqualTo(2);
            // every reconcile is timed, the failed ones too
            assertThat(metrics.value("ark_reconcile_duration_seconds_count{controller=\"arkteam\"}"))
                    .isGreaterThanOrEqualTo(metrics.value("ark_reconcile_errors_total{controller=\"arkteam\"}"));
        });
    }
}
