package dev.arkonis.ark.operator.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ApprovalStatus;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.http.HttpCall;
import dev.arkonis.ark.http.HttpReply;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed approval links: only ark's signature opens them, until they expire, for the one run and step they name. */
@EnableKubernetesMockClient(crud = true)
class ApprovalLinkServiceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    KubernetesClient client;
    private final ApprovalLinks links = new ApprovalLinks(KEY, "https://hooks.example.com/");
    private ApprovalLinkService service;
    private String uid;

    @BeforeEach
    void aRunWaitingForApproval() {
        service = new ApprovalLinkService(links, client, Clock.fixed(NOW, ZoneOffset.UTC));
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("post-1").withNamespace("team-a").build());
        run.setSpec(new RunSpec(new TeamRef("writers"), null, null, null, null));
        StepStatus gate = StepStatus.builder().name("review").phase(StepPhase.WaitingForApproval).attempts(1)
                .startTime(NOW.toString()).message("waiting for approval").tokenUsage(TokenUsage.ZERO)
                .approval(new ApprovalStatus("Publish <b>this</b>?", null, null, null, null, null)).build();
        run.setStatus(RunStatus.builder().phase(RunPhase.WaitingForApproval).startTime(NOW.toString())
                .steps(List.of(gate)).stepsDone("0/1").totalTokenUsage(TokenUsage.ZERO).waitingForApproval("review").build());
        uid = client.resources(ArkRun.class).inNamespace("team-a").resource(run).create().getMetadata().getUid();
    }

    private ApprovalLinks.Grant grant(Instant expires) {
        return new ApprovalLinks.Grant("team-a", "post-1", uid, "review", 1, "team-alerts", expires);
    }

    private static String path(String url) {
        return url.substring("https://hooks.example.com".length());
    }

    private HttpReply call(String method, String path, String contentType, String body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("content-type", contentType);
        HttpCall call = new HttpCall(method, path, headers, body.getBytes(StandardCharsets.UTF_8));
        Optional<HttpReply> early = service.atOnce(call).or(() -> service.screen(call));
        return early.orElseGet(() -> service.answer(call));
    }

    private static String text(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private Map<String, String> annotations() {
        Map<String, String> all = client.resources(ArkRun.class).inNamespace("team-a").withName("post-1").get()
                .getMetadata().getAnnotations();
        return all == null ? Map.of() : all;
    }

    @Test
    void aLinkShowsTheQuestionOnGetAndDecidesOnlyOnPostAsTheChannelItWentTo() {
        String url = links.url(grant(NOW.plusSeconds(3600)));
        assertThat(url).startsWith("https://hooks.example.com/approvals/");

        HttpReply shown = call("GET", path(url), null, "");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(text(shown)).contains("Publish &lt;b&gt;this&lt;/b&gt;?", "value=\"approve\"", "value=\"reject\"")
                .doesNotContain("<b>this</b>");
        assertThat(shown.headers()).containsEntry("Referrer-Policy", "no-referrer").containsEntry("Cache-Control", "no-store");
        assertThat(annotations()).as("looking decides nothing").isEmpty();

        HttpReply decided = call("POST", path(url), "application/x-www-form-urlencoded", "decision=approve&comment=ship+it%21");
        assertThat(decided.status()).isEqualTo(200);
        assertThat(text(decided)).contains("approved", "Recorded as link:team-alerts.");
        assertThat(annotations()).containsEntry(Ark.ANNOTATION_APPROVE_PREFIX + "review", "link:team-alerts")
                .containsEntry(Ark.ANNOTATION_COMMENT_PREFIX + "review", "ship it!");
    }

    @Test
    void aWebhookRejectsWithJson() {
        String url = links.url(grant(NOW.plusSeconds(60)));
        HttpReply decided = call("POST", path(url), "application/json", "{\"decision\":\"reject\",\"comment\":\"no\"}");
        assertThat(decided.status()).isEqualTo(200);
        assertThat(annotations()).containsEntry(Ark.ANNOTATION_REJECT_PREFIX + "review", "link:team-alerts")
                .containsEntry(Ark.ANNOTATION_COMMENT_PREFIX + "review", "no");
        assertThat(call("POST", path(url), "application/json", "{\"decision\":\"maybe\"}").status()).isEqualTo(400);
    }

    @Test
    void aForgedTamperedOrExpiredLinkOrOneOfAnotherRunDecidesNothing() {
        String good = path(links.url(grant(NOW.plusSeconds(60))));
        String token = good.substring(ApprovalLinks.PATH.length());
        String otherKey = path(new ApprovalLinks("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                "https://hooks.example.com").url(grant(NOW.plusSeconds(60))));
        String tampered = ApprovalLinks.PATH + links.token(grant(NOW.plusSeconds(60))).replaceFirst("\\.", "x.");
        String swapped = ApprovalLinks.PATH + links.token(new ApprovalLinks.Grant("team-a", "post-1", uid, "other", 1,
                "team-alerts", NOW.plusSeconds(60))).split("\\.")[0] + "." + token.split("\\.")[1];
        for (String forged : List.of(otherKey, tampered, swapped, ApprovalLinks.PATH + "nonsense", ApprovalLinks.PATH + "a.b")) {
            assertThat(call("POST", forged, "application/x-www-form-urlencoded", "decision=approve").status())
                    .as(forged).isEqualTo(401);
        }
        assertThat(call("POST", path(links.url(grant(NOW))), "application/x-www-form-urlencoded", "decision=approve")
                .status()).as("expired").isEqualTo(410);
        String otherRun = path(links.url(new ApprovalLinks.Grant("team-a", "post-1", "another-uid", "review", 1,
                "team-alerts", NOW.plusSeconds(60))));
        assertThat(call("POST", otherRun, "application/x-www-form-urlencoded", "decision=approve").status())
                .as("a run of the same name created anew").isEqualTo(404);
        String notWaiting = path(links.url(new ApprovalLinks.Grant("team-a", "post-1", uid, "draft", 1, "team-alerts",
                NOW.plusSeconds(60))));
        assertThat(call("POST", notWaiting, "application/x-www-form-urlencoded", "decision=approve").status()).isEqualTo(409);
        String laterAsking = path(links.url(new ApprovalLinks.Grant("team-a", "post-1", uid, "review", 2, "team-alerts",
                NOW.plusSeconds(60))));
        assertThat(call("POST", laterAsking, "application/x-www-form-urlencoded", "decision=approve").status())
                .as("a link of another asking of the step").isEqualTo(409);
        assertThat(call("DELETE", good, null, "").status()).isEqualTo(405);
        assertThat(annotations()).isEmpty();
    }
}
