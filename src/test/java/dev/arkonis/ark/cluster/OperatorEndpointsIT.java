package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.cluster.kubelet.PodView;
import dev.arkonis.ark.http.HalfSentRequests;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator's health and metrics port as the chart installs it, on the real API server: /metrics answers only a
 * token that TokenReview accepts and SubjectAccessReview allows to get /metrics (the chart's ark-metrics-reader), as
 * kubebuilder's secure metrics; /healthz answers the kubelet within its probe timeout while connections sit half-sent.
 */
@Order(27)
class OperatorEndpointsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ArkCluster cluster = ArkCluster.get();

    /** http://ip:port of the leading operator pod's container port 8080, as the harness maps it. */
    private String operatorBase() {
        Pod pod = cluster.ark().awaitOperator();
        PodView view = cluster.running(ArkRelease.NAMESPACE, pod.getMetadata().getName());
        return "http://" + view.ip() + ":" + view.only().ports().get(8080);
    }

    private static HttpResponse<String> metrics(String base, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(20));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String namespace, String account) {
        cluster.admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(account).endMetadata().build()).serverSideApply();
        return cluster.admin.serviceAccounts().inNamespace(namespace).withName(account).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
    }

    @Test
    void metricsAnswerOnlyATokenAllowedToGetThem() throws Exception {
        String base = operatorBase();
        try (TestNamespace ns = TestNamespace.create(cluster, "metrics")) {
            String stranger = token(ns.name, "stranger");
            String reader = token(ns.name, "scraper");
            String binding = "metrics-reader-" + ns.name;
            cluster.admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName(binding).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                    .withName("ark-metrics-reader").endRoleRef()
                    .addNewSubject().withKind("ServiceAccount").withName("scraper").withNamespace(ns.name).endSubject()
                    .build()).serverSideApply();
            try {
                HttpResponse<String> none = metrics(base, Optional.empty());
                assertThat(none.statusCode()).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertThat(metrics(base, Optional.of("not-a-token")).statusCode()).isEqualTo(401);

                HttpResponse<String> refused = metrics(base, Optional.of(stranger));
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).isEqualTo("system:serviceaccount:" + ns.name + ":stranger may not get /metrics\n");
                assertThat(refused.body()).doesNotContain("ark_");

                // RBAC is read by the API server's authorizer a moment after the binding is written
                HttpResponse<String> allowed = eventually().until(() -> metrics(base, Optional.of(reader)),
                        r -> r.statusCode() == 200);
                assertThat(allowed.body()).contains("ark_reconcile_duration_seconds");
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("probes need no token").isEqualTo(200);
            } finally {
                cluster.admin.rbac().clusterRoleBindings().withName(binding).delete();
            }
        }
    }

    @Test
    void theChartsServiceMonitorScrapesWithATokenThatMayReadMetrics() throws Exception {
        String base = operatorBase();
        cluster.kube.kubectl("apply", "-f", Path.of("src/test/resources/cluster/prometheus-operator-crds.yaml")
                .toAbsolutePath().toString()).assertSuccess();
        ArkRelease release = cluster.release();
        release.changed();
        cluster.kube.helm("upgrade", ArkRelease.NAME, "./" + ArkRelease.CHART, "-n", ArkRelease.NAMESPACE,
                "--reuse-values", "--set", "serviceMonitor.enabled=true").assertSuccess();
        try {
            // the token the ServiceMonitor hands Prometheus, as the API server's token controller fills it in
            Secret secret = eventually().until(() -> cluster.admin.secrets().inNamespace(ArkRelease.NAMESPACE)
                    .withName("ark-metrics-scraper-token").get(), s -> s != null && s.getData() != null
                    && s.getData().get("token") != null);
            String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
            HttpResponse<String> scraped = eventually().until(() -> metrics(base, Optional.of(token)),
                    r -> r.statusCode() == 200);
            assertThat(scraped.body()).contains("ark_reconcile_duration_seconds");
        } finally {
            cluster.kube.helm("upgrade", ArkRelease.NAME, "./" + ArkRelease.CHART, "-n", ArkRelease.NAMESPACE,
                    "--reuse-values", "--set", "serviceMonitor.enabled=false").assertSuccess();
        }
    }

    @Test
    void healthAnswersWithinAProbeTimeoutWhileManyConnectionsSitHalfSent() throws Exception {
        String base = operatorBase();
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        String ip = base.substring("http://".length(), base.lastIndexOf(':'));
        try (HalfSentRequests held = HalfSentRequests.open(ip, port, 64)) {
            assertThat(HalfSentRequests.probe(base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(HalfSentRequests.probe(base + "/readyz").statusCode()).isEqualTo(200);
        }
    }
}
