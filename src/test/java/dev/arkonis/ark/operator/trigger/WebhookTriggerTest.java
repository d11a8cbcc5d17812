package dev.arkonis.ark.operator.trigger;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static dev.arkonis.ark.operator.trigger.TriggerCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.http.HalfSentRequests;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook ArkEvents through real HTTP: the cookbook's fan-out, auth, limits and body templating. */
class WebhookTriggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TriggerCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TriggerCluster(TriggerCluster.webhooks(256, 3), Clock.systemUTC());
        for (String team : List.of("security-scan-team", "quality-review-team")) {
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: %s, namespace: team-ns}
                    spec:
                      inputs:
                        - {name: prNumber, type: integer, required: true}
                        - {name: repo, required: true}
                        - {name: author, default: unknown}
                      roles: [{name: reviewer, model: m, provider: mock}]
                      pipeline: [{role: reviewer, inputs: {prompt: "Review {{ .input.repo }}#{{ .input.prNumber }}"}}]
                    """.formatted(team), ArkTeam.class);
        }
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void webhookEvent(String name, String extra) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: %s, namespace: team-ns}
                spec:
                  source:
                    type: webhook
                  targets:
                    - team: security-scan-team
                      input:
                        prNumber: "{{ .trigger.body.pr_number }}"
                        repo: "{{ .trigger.body.repo }}"
                        author: "{{ .trigger.body.author }}"
                    - team: quality-review-team
                      input:
                        prNumber: "{{ .trigger.body.pr_number }}"
                        repo: "{{ .trigger.body.repo }}"
                %s
                """.formatted(name, extra), ArkEvent.class);
        eventually().until(() -> cluster.status(name).webhookURL() != null && token(name) != null);
    }

    private String token(String event) {
        Secret secret = cluster.client.secrets().inNamespace(NS).withName(event + "-webhook-token").get();
        return secret == null ? null : new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    }

    private String url(String namespace, String event) {
        return "http://127.0.0.1:" + cluster.triggers().webhookPort() + "/triggers/" + namespace + "/" + event + "/fire";
    }

    private HttpResponse<String> post(String url, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static final String PR = """
            {"pr_number": 42, "repo": "my-org/my-service", "author": "alice"}""";

    @Test
    void aPostWithTheTokenFansOutToEveryTargetWithTheBodyAsInput() throws Exception {
        webhookEvent("pr-review-webhook", "  concurrencyPolicy: Allow");
        ArkEvent event = cluster.event("pr-review-webhook");
        assertThat(event.getStatus().webhookURL())
                .isEqualTo("http://ark-operator-triggers.ark-system.svc:" + cluster.triggers().webhookPort()
                        + "/triggers/team-ns/pr-review-webhook/fire");
        Secret secret = cluster.client.secrets().inNamespace(NS).withName("pr-review-webhook-webhook-token").get();
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(event.getMetadata().getUid()));
        assertThat(token("pr-review-webhook")).matches("[0-9a-f]{64}");

        HttpResponse<String> response = post(url(NS, "pr-review-webhook"), token("pr-review-webhook"), PR);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode reply = json(response);
        assertThat(reply.path("fired").asBoolean()).isTrue();
        assertThat(reply.path("targets").asInt()).isEqualTo(2);
        List<String> names = List.of(reply.path("runs").get(0).asText(), reply.path("runs").get(1).asText());

        ArkRun security = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(names.get(0)).get();
        assertThat(security.getSpec().teamName()).isEqualTo("security-scan-team");
        assertThat(security.getSpec().input().toString())
                .isEqualTo("{\"prNumber\":42,\"repo\":\"my-org/my-service\",\"author\":\"alice\"}");
        assertThat(security.getMetadata().getLabels()).containsEntry(Ark.LABEL_TRIGGER, "pr-review-webhook");
        ArkRun quality = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(names.get(1)).get();
        assertThat(quality.getSpec().teamName()).isEqualTo("quality-review-team");
        eventually().untilAsserted(() -> assertThat(cluster.status("pr-review-webhook").fired()).isEqualTo(1));
        assertThat(cluster.status("pr-review-webhook").lastRuns()).containsExactlyElementsOf(names);
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("pr-review-webhook")).contains("Fired"));
    }

    @Test
    void itAnswersWhileManyConnectionsSitHalfSent() throws Exception {
        webhookEvent("busy-port", "");
        try (HalfSentRequests held = HalfSentRequests.open(cluster.triggers().webhookPort(), 64)) {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(url(NS, "busy-port")))
                    .timeout(HalfSentRequests.PROBE_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(PR)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(post(url(NS, "busy-port"), token("busy-port"), PR).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void withoutTheRightTokenItIs401AndNothingRuns() throws Exception {
        webhookEvent("guarded", "");
        HttpResponse<String> none = post(url(NS, "guarded"), null, PR);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(post(url(NS, "guarded"), "0".repeat(64), PR).statusCode()).isEqualTo(401);
        assertThat(post(url(NS, "guarded"), token("guarded").substring(1), PR).statusCode()).isEqualTo(401);
        assertThat(post(url(NS, "guarded"), token("guarded") + "0", PR).statusCode()).isEqualTo(401);
        assertThat(none.body()).doesNotContain(token("guarded"));
        assertThat(cluster.runs()).isEmpty();
        assertThat(cluster.status("guarded").fired()).isZero();
    }

    @Test
    void anUnknownEventAnswersAsAWrongTokenDoesSoNamesCannotBeTriedWithoutOne() throws Exception {
        webhookEvent("known", "");
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: nightly, namespace: team-ns}
                spec:
                  source: {type: cron, cron: "0 3 * * *"}
                  targets: [{team: security-scan-team, input: {prNumber: "1", repo: r}}]
                """, ArkEvent.class);
        HttpResponse<String> wrongToken = post(url(NS, "known"), "0".repeat(64), PR);
        HttpResponse<String> unknown = post(url(NS, "unknown"), token("known"), PR);
        HttpResponse<String> otherNamespace = post(url("other-ns", "known"), token("known"), PR);
        HttpResponse<String> notAWebhook = post(url(NS, "nightly"), token("known"), PR);
        for (HttpResponse<String> response : List.of(wrongToken, unknown, otherNamespace, notAWebhook)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        assertThat(json(wrongToken).path("error").asText()).isEqualTo(
                "a bearer token is required: Authorization: Bearer <token of Secret known-webhook-token>");
        assertThat(json(unknown).path("error").asText()).isEqualTo(
                "a bearer token is required: Authorization: Bearer <token of Secret unknown-webhook-token>");
        assertThat(json(notAWebhook).path("error").asText()).isEqualTo(
                "a bearer token is required: Authorization: Bearer <token of Secret nightly-webhook-token>");
        assertThat(cluster.runs()).isEmpty();
    }

    @Test
    void wrongPathsAre404AndOtherMethods405WhetherTheEventExistsOrNot() throws Exception {
        webhookEvent("known", "");
        assertThat(post("http://127.0.0.1:" + cluster.triggers().webhookPort() + "/triggers/team-ns/known", token("known"), PR)
                .statusCode()).isEqualTo(404);
        for (String event : List.of("known", "unknown")) {
            HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(url(NS, event))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).contains("POST");
        }
        assertThat(cluster.runs()).isEmpty();
    }

    @Test
    void theTokenIsCheckedBeforeAnyOfTheBodyIsRead() throws Exception {
        webhookEvent("early", "");
        assertThat(post(url(NS, "early"), null, "{\"pad\": \"" + "x".repeat(300) + "\"}").statusCode())
                .as("no token: refused for that, not for the body's size").isEqualTo(401);
        // a caller that announces a body and never sends it is refused at once, not after the body arrives
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", cluster.triggers().webhookPort())) {
            socket.setSoTimeout((int) HalfSentRequests.PROBE_TIMEOUT.toMillis());
            socket.getOutputStream().write(("POST /triggers/team-ns/early/fire HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 401");
        }
        assertThat(cluster.runs()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413AndOneThatIsNotJsonIs400() throws Exception {
        webhookEvent("limits", "");
        HttpResponse<String> big = post(url(NS, "limits"), token("limits"),
                "{\"pr_number\": 1, \"repo\": \"" + "x".repeat(300) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).path("error").asText()).isEqualTo("the body is larger than 256 bytes");
        HttpResponse<String> notJson = post(url(NS, "limits"), token("limits"), "pr_number=1");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("error").asText()).startsWith("the body is not JSON");
        assertThat(cluster.runs()).isEmpty();
    }

    @Test
    void aBodyWithoutAFieldTheInputsNeedIsRefusedNamingIt() throws Exception {
        webhookEvent("strict", "");
        HttpResponse<String> response = post(url(NS, "strict"), token("strict"), "{\"repo\": \"a/b\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode reply = json(response);
        assertThat(reply.path("reason").asText()).isEqualTo("InputTemplateFailed");
        assertThat(reply.path("error").asText()).startsWith("not fired: spec.targets[0].input.prNumber: ")
                .contains("pr_number");
        assertThat(cluster.runs()).isEmpty();
        eventually().untilAsserted(() -> assertThat(cluster.status("strict").refused()).isEqualTo(1));
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("strict")).contains("InputTemplateFailed"));
    }

    @Test
    void overTheRateItIs429WithRetryAfter() throws Exception {
        webhookEvent("busy", "");
        for (int i = 0; i < 3; i++) {
            assertThat(post(url(NS, "busy"), token("busy"), PR).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = post(url(NS, "busy"), token("busy"), PR);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 20));
        assertThat(cluster.runs()).hasSize(6);
    }

    @Test
    void aRepeatedDeliveryWithTheSameIdempotencyKeyCreatesNothingNew() throws Exception {
        webhookEvent("once", "");
        HttpResponse<String> first = post(url(NS, "once"), token("once"), PR, "Idempotency-Key", "delivery-7");
        assertThat(first.statusCode()).isEqualTo(202);
        HttpResponse<String> again = post(url(NS, "once"), token("once"), PR, "Idempotency-Key", "delivery-7");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("duplicate").asBoolean()).isTrue();
        assertThat(json(again).path("runs")).isEqualTo(json(first).path("runs"));
        assertThat(cluster.runs()).hasSize(2);
        eventually().untilAsserted(() -> assertThat(cluster.status("once").fired()).isEqualTo(1));
    }

    @Test
    void forbidRefusesWhileARunIsUnfinishedAndSuspendedRefusesAll() throws Exception {
        webhookEvent("single", "  concurrencyPolicy: Forbid");
        assertThat(post(url(NS, "single"), token("single"), PR).statusCode()).isEqualTo(202);
        HttpResponse<String> second = post(url(NS, "single"), token("single"), PR);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).path("reason").asText()).isEqualTo("ConcurrencyForbidden");
        assertThat(cluster.runs()).hasSize(2);

        webhookEvent("paused", "  suspended: true");
        HttpResponse<String> paused = post(url(NS, "paused"), token("paused"), PR);
        assertThat(paused.statusCode()).isEqualTo(503);
        assertThat(cluster.runs()).hasSize(2);
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("paused")).contains("Suspended"));
    }
}
