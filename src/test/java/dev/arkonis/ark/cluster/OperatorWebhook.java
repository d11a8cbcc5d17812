package dev.arkonis.ark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.cluster.kubelet.PodView;
import dev.arkonis.ark.http.TestCertificates;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The operator's ArkEvent webhooks as a caller inside the cluster reaches them: an operator pod's address and the
 * host port the harness gave its container port {@code triggers} (every pod shares the host's network here).
 */
final class OperatorWebhook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Trusts the tests' certificate "first", which the webhook serves when HelmValuesIT mounts it. */
    private static final HttpClient HTTPS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(TestCertificates.trusting("first")).build();

    private final ArkCluster cluster;

    /** What the webhook answered. */
    record Reply(int status, JsonNode body) {
    }

    OperatorWebhook(ArkCluster cluster) {
        this.cluster = cluster;
    }

    /** {@code POST /triggers/<namespace>/<event>/fire} at the leading operator pod, with the token when given. */
    Reply fire(String namespace, String event, Optional<String> token, String body) {
        return fireAt(cluster.ark().awaitOperator(), namespace, event, token, body);
    }

    /** The same at one operator pod, on the port its container declares as {@code triggers} (the chart's). */
    Reply fireAt(Pod pod, String namespace, String event, Optional<String> token, String body) {
        int declared = pod.getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> "triggers".equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("the operator pod declares no port named triggers"));
        PodView operator = cluster.running(ArkRelease.NAMESPACE, pod.getMetadata().getName());
        Integer port = operator.only().ports().get(declared);
        if (port == null) {
            throw new AssertionError("the harness mapped no host port to container port " + declared + ": " + operator);
        }
        // with the chart's triggerWebhook.tls the webhook speaks HTTPS, with the tests' certificate (src/test/resources/tls)
        boolean tls = operator.only().env().containsKey("TRIGGER_WEBHOOK_TLS_CERT_FILE");
        HttpClient client = tls ? HTTPS : HTTP;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((tls ? "https://" : "http://") + operator.ip()
                        + ":" + port + "/triggers/" + namespace + "/" + event + "/fire"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            // a pod is ready once its operator started, a moment before its webhook listens: a caller tries again
            HttpResponse<String> response = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                    .until(() -> client.send(request.build(), HttpResponse.BodyHandlers.ofString()), r -> true);
            return new Reply(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bearer token of a webhook event, from the Secret the operator generated ({@code <event>-webhook-token}). */
    String token(String namespace, String event) {
        Secret secret = ArkCluster.eventually().until(() -> cluster.admin.secrets().inNamespace(namespace)
                .withName(event + "-webhook-token").get(), s -> s != null && s.getData() != null && s.getData().get("token") != null);
        return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    }
}
