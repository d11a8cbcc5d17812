package dev.arkonis.ark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.cluster.kubelet.PodView;
import dev.arkonis.ark.http.TestCertificates;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
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
    private static final String SERVICE = "ark-operator-triggers." + ArkRelease.NAMESPACE + ".svc";

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

    /** Where a caller reaches the webhook port of the leading operator pod (over plain HTTP, as the suite has it). */
    String base() {
        Pod pod = cluster.ark().awaitOperator();
        return "http://" + cluster.running(ArkRelease.NAMESPACE, pod.getMetadata().getName()).ip() + ":" + port(pod);
    }

    /** The host port the harness gave the container port the pod declares as {@code triggers} (the chart's). */
    private int port(Pod pod) {
        int declared = pod.getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> "triggers".equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("the operator pod declares no port named triggers"));
        PodView operator = cluster.running(ArkRelease.NAMESPACE, pod.getMetadata().getName());
        Integer port = operator.only().ports().get(declared);
        if (port == null) {
            throw new AssertionError("the harness mapped no host port to container port " + declared + ": " + operator);
        }
        return port;
    }

    /** The same at one operator pod, on the port its container declares as {@code triggers} (the chart's). */
    Reply fireAt(Pod pod, String namespace, String event, Optional<String> token, String body) {
        int port = port(pod);
        PodView operator = cluster.running(ArkRelease.NAMESPACE, pod.getMetadata().getName());
        // with the chart's triggerWebhook.tls the webhook speaks HTTPS, with the tests' certificate (src/test/resources/tls)
        if (operator.only().env().containsKey("TRIGGER_WEBHOOK_TLS_CERT_FILE")) {
            return overHttps(operator.ip(), port, namespace + "/" + event, token, body);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + operator.ip() + ":" + port
                        + "/triggers/" + namespace + "/" + event + "/fire"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            // a pod is ready once its operator started, a moment before its webhook listens: a caller tries again
            HttpResponse<String> response = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                    .until(() -> HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()), r -> true);
            return new Reply(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fire as a caller in the cluster makes it through the Service: the certificate must be trusted and name
     * the Service {@code ark-operator-triggers.ark-system.svc} (the pod is reached by its address here).
     */
    private static Reply overHttps(String ip, int port, String event, Optional<String> token, String body) {
        try {
            HttpsURLConnection https = (HttpsURLConnection) URI.create("https://" + ip + ":" + port + "/triggers/" + event
                    + "/fire").toURL().openConnection();
            https.setSSLSocketFactory(TestCertificates.trusting("first").getSocketFactory());
            https.setHostnameVerifier((host, session) -> names(session).contains(SERVICE));
            https.setConnectTimeout(5000);
            https.setReadTimeout(20000);
            https.setRequestMethod("POST");
            https.setDoOutput(true);
            https.setRequestProperty("Content-Type", "application/json");
            token.ifPresent(t -> https.setRequestProperty("Authorization", "Bearer " + t));
            https.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            int status = https.getResponseCode();
            try (InputStream in = status < 400 ? https.getInputStream() : https.getErrorStream()) {
                return new Reply(status, JSON.readTree(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(SSLSession session) {
        try {
            Collection<List<?>> names = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream().map(n -> String.valueOf(n.get(1))).toList();
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            return List.of();
        }
    }

    /** The bearer token of a webhook event, from the Secret the operator generated ({@code <event>-webhook-token}). */
    String token(String namespace, String event) {
        Secret secret = ArkCluster.eventually().until(() -> cluster.admin.secrets().inNamespace(namespace)
                .withName(event + "-webhook-token").get(), s -> s != null && s.getData() != null && s.getData().get("token") != null);
        return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    }
}
