package dev.arkonis.ark.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ApprovalStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.dashboard.web.WebReply;
import dev.arkonis.ark.dashboard.web.WebRequest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's request pipeline (host, origin, session, CSRF, escaping, read-only) against the mock API server. */
class DashboardTest {
    private static final String HOST = "127.0.0.1:8090";
    private static final String ORIGIN = "http://127.0.0.1:8090";
    private static final String ALICE = "oidc:alice@example.com";
    private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private SharedAccess access;
    private Dashboard dashboard;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new CrudWithIdentity(), false);
        server.init();
        KubernetesClient created = server.createClient();
        // as ark dashboard configures its clients: a refused call is reported at once, not retried
        client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client
                .ConfigBuilder(created.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        created.close();
        dashboard = dashboard(false);
    }

    /** The CRUD mock, answering "who am I" (SelfSubjectReview) as the API server would for alice's credentials. */
    private static final class CrudWithIdentity extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (request.getPath().startsWith("/apis/authentication.k8s.io/v1/selfsubjectreviews")) {
                return new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authentication.k8s.io/v1\","
                        + "\"kind\":\"SelfSubjectReview\",\"status\":{\"userInfo\":{\"username\":\"" + ALICE + "\"}}}");
            }
            return super.handleCreate(request);
        }
    }

    private Dashboard dashboard(boolean readOnly) {
        access = readOnly ? SharedAccess.withoutSignIn(client, "viewer") : SharedAccess.withCode(client, "alice");
        DashboardSettings settings = new DashboardSettings("127.0.0.1", 8090, access.kind(), readOnly,
                List.of("dashboard.example"), Duration.ofMinutes(30), Duration.ofHours(8), "team-a", java.util.Optional.empty());
        return new Dashboard(settings, access, new Sessions(settings.sessionIdle(), settings.sessionLifetime(), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private static WebRequest get(String path, String cookie, String host) {
        return new WebRequest("GET", path, Map.of(), Map.of(), headers(host, null), cookie == null ? Map.of()
                : Map.of(Dashboard.COOKIE, cookie), false);
    }

    private static WebRequest post(String path, String cookie, String origin, Map<String, String> form) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        form.forEach((k, v) -> fields.put(k, List.of(v)));
        return new WebRequest("POST", path, Map.of(), fields, headers(HOST, origin), cookie == null ? Map.of()
                : Map.of(Dashboard.COOKIE, cookie), false);
    }

    private static Map<String, String> headers(String host, String origin) {
        Map<String, String> h = new HashMap<>();
        if (host != null) {
            h.put("host", host);
        }
        if (origin != null) {
            h.put("origin", origin);
        }
        return h;
    }

    private static String body(WebReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    /** Signs in with the printed code; the session cookie's value. */
    private String signIn() {
        WebReply reply = dashboard.handle(post("/sign-in", null, ORIGIN, Map.of("secret", access.code())));
        assertThat(reply.status()).isEqualTo(303);
        String cookie = reply.setCookies().get(0);
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    private String csrf(String cookie) {
        return csrf(cookie, "failed");
    }

    private String csrf(String cookie, String run) {
        String page = body(dashboard.handle(get("/namespaces/team-a/runs/" + run, cookie, HOST)));
        int at = page.indexOf("name=\"csrf\" value=\"");
        assertThat(at).as("the run page has a form").isPositive();
        return page.substring(at + 19, page.indexOf('"', at + 19));
    }

    private ArkRun createRun(String name, RunPhase phase, String output) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").addToLabels(Ark.LABEL_TEAM, "writers")
                .withCreationTimestamp(Instant.now().toString()).build());
        run.setSpec(new RunSpec(new TeamRef("writers"), null, null, null, null));
        StepStatus step = new StepStatus("draft", "writer", phase == RunPhase.Failed ? StepPhase.Failed : StepPhase.Succeeded,
                name + "/draft/1", 1, 0, "2026-01-01T00:00:00Z", "2026-01-01T00:00:02.500Z", null, output, null,
                phase == RunPhase.Failed ? "timed out after 3s" : null, TokenUsage.of(120, 34));
        run.setStatus(new RunStatus(phase, "2026-01-01T00:00:00Z", "2026-01-01T00:00:03Z", null, List.of(step), "1/1",
                output, null, TokenUsage.of(120, 34), phase == RunPhase.Failed ? "draft" : null,
                phase == RunPhase.Failed ? "step draft failed: timed out after 3s" : null,
                phase == RunPhase.Failed ? "StepFailed" : null, null, null, null, null));
        return client.resources(ArkRun.class).inNamespace("team-a").resource(run).create();
    }

    @Test
    void aPageOfAnotherHostNameIsRefusedSoADnsRebindingPageGetsNothing() {
        assertThat(dashboard.handle(get("/runs", null, "attacker.example:8090")).status()).isEqualTo(421);
        assertThat(dashboard.handle(get("/runs", null, "localhost.attacker.example")).status()).isEqualTo(421);
        assertThat(dashboard.handle(get("/runs", null, null)).status()).isEqualTo(421);
        for (String ours : List.of(HOST, "localhost:8090", "[::1]:8090", "dashboard.example", "10.0.0.7:8090")) {
            assertThat(dashboard.handle(get("/runs", null, ours)).status()).as(ours).isEqualTo(303);
        }
        assertThat(dashboard.handle(get("/healthz", null, "anything")).status()).isEqualTo(200);
    }

    @Test
    void onlyThePrintedCodeSignsInAndTheCookieIsHttpOnlyStrictAndSecureOverTls() {
        WebReply wrong = dashboard.handle(post("/sign-in", null, ORIGIN, Map.of("secret", "guess")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.setCookies()).isEmpty();
        assertThat(body(wrong)).contains("not the one ark dashboard printed").doesNotContain(access.code());

        WebReply ok = dashboard.handle(post("/sign-in", null, ORIGIN, Map.of("secret", access.code())));
        assertThat(ok.setCookies()).singleElement().satisfies(c -> assertThat(c)
                .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800").doesNotContain("Secure"));
        assertThat(ok.headers()).containsEntry("Location", "/runs");
        WebRequest overTls = new WebRequest("POST", "/sign-in", Map.of(), Map.of("secret", List.of(access.code())),
                headers(HOST, "https://127.0.0.1:8090"), Map.of(), true);
        assertThat(dashboard.handle(overTls).setCookies().get(0)).contains("; Secure");

        assertThat(dashboard.handle(get("/runs", null, HOST)).headers()).containsEntry("Location", "/sign-in");
        assertThat(dashboard.handle(get("/runs", "forged", HOST)).headers()).containsEntry("Location", "/sign-in");
    }

    @Test
    void anActionMustComeFromOurOwnPageWithTheSessionsToken() {
        createRun("failed", RunPhase.Failed, "half a draft");
        String cookie = signIn();
        String csrf = csrf(cookie);
        String action = "/namespaces/team-a/runs/failed/actions/retry";

        assertThat(dashboard.handle(post(action, cookie, null, Map.of("csrf", csrf))).status()).as("no origin").isEqualTo(403);
        assertThat(dashboard.handle(post(action, cookie, "http://attacker.example", Map.of("csrf", csrf))).status())
                .as("another origin").isEqualTo(403);
        assertThat(dashboard.handle(post(action, cookie, ORIGIN, Map.of())).status()).as("no token").isEqualTo(403);
        assertThat(dashboard.handle(post(action, cookie, ORIGIN, Map.of("csrf", csrf + "x"))).status()).as("wrong token")
                .isEqualTo(403);
        assertThat(dashboard.handle(post(action, null, ORIGIN, Map.of("csrf", csrf))).status()).as("no session").isEqualTo(401);
        assertThat(client.resources(ArkRun.class).inNamespace("team-a").withName("failed").get().getMetadata().getAnnotations())
                .as("nothing was done").isNullOrEmpty();

        WebReply done = dashboard.handle(post(action, cookie, ORIGIN, Map.of("csrf", csrf)));
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.headers()).containsEntry("Location", "/namespaces/team-a/runs/failed");
        assertThat(client.resources(ArkRun.class).inNamespace("team-a").withName("failed").get().getMetadata().getAnnotations())
                .containsKey(Ark.ANNOTATION_RETRY);
        assertThat(body(dashboard.handle(get("/namespaces/team-a/runs/failed", cookie, HOST))))
                .contains("Retry of run failed requested");
    }

    @Test
    void whatTheModelWroteIsShownAsTextAndJsonIsPrettyPrinted() {
        createRun("hostile", RunPhase.Succeeded, HOSTILE);
        createRun("json", RunPhase.Succeeded, "{\"title\":\"x\",\"points\":[1,2]}");
        String cookie = signIn();
        String page = body(dashboard.handle(get("/namespaces/team-a/runs/hostile", cookie, HOST)));
        assertThat(page).doesNotContain("<script>alert").doesNotContain("<img src=x")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
        assertThat(page).contains("<data id=\"run-tokens\" value=\"154\">154</data>");
        assertThat(page).contains("<time datetime=\"PT3S\">3.0s</time>");
        String json = body(dashboard.handle(get("/namespaces/team-a/runs/json", cookie, HOST)));
        assertThat(json).contains("<pre tabindex=\"0\">{\n  \"title\" : \"x\",\n  \"points\" : [ 1, 2 ]\n}</pre>");
    }

    @Test
    void signingOutEndsTheSession() {
        String cookie = signIn();
        String csrf = body(dashboard.handle(get("/runs", cookie, HOST)));
        assertThat(csrf).contains("Sign out");
        String token = csrf.substring(csrf.indexOf("name=\"csrf\" value=\"") + 19);
        token = token.substring(0, token.indexOf('"'));
        WebReply out = dashboard.handle(post("/sign-out", cookie, ORIGIN, Map.of("csrf", token)));
        assertThat(out.headers()).containsEntry("Location", "/sign-in");
        assertThat(out.setCookies().get(0)).startsWith(Dashboard.COOKIE + "=;").contains("Max-Age=0");
        assertThat(dashboard.handle(get("/runs", cookie, HOST)).headers()).containsEntry("Location", "/sign-in");
    }

    @Test
    void aReadOnlyDashboardOffersAndDoesNoAction() {
        dashboard = dashboard(true);
        createRun("failed", RunPhase.Failed, "half a draft");
        WebReply first = dashboard.handle(get("/namespaces/team-a/runs/failed", null, HOST));
        assertThat(first.status()).isEqualTo(200);
        assertThat(body(first)).contains("step draft failed: timed out after 3s").doesNotContain("/actions/retry")
                .doesNotContain("Sign out");
        String cookie = first.setCookies().get(0).substring(Dashboard.COOKIE.length() + 1, first.setCookies().get(0).indexOf(';'));
        String page = body(first);
        String csrf = page.substring(page.indexOf("data-version"));
        WebReply refused = dashboard.handle(post("/namespaces/team-a/runs/failed/actions/retry", cookie, ORIGIN,
                Map.of("csrf", sessionCsrf(cookie))));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(body(refused)).contains("read-only");
        assertThat(client.resources(ArkRun.class).inNamespace("team-a").withName("failed").get().getMetadata().getAnnotations())
                .isNullOrEmpty();
        assertThat(csrf).isNotEmpty();
    }

    /** The CSRF token of a session, as its pages' forms carry it (the read-only pages have only the sign-out-less frame). */
    private String sessionCsrf(String cookie) {
        String page = body(dashboard.handle(get("/namespaces/team-a/runs/failed", cookie, HOST)));
        int at = page.indexOf("value=\"", page.indexOf("name=\"csrf\""));
        return at < 0 ? "" : page.substring(at + 7, page.indexOf('"', at + 7));
    }

    @Test
    void anIdleSessionEnds() {
        Clock[] now = {Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)};
        Clock moving = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0].instant();
            }
        };
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(8), moving);
        Session session = sessions.open(new Identity(client, "alice", false));
        String id = session.id();
        now[0] = Clock.offset(now[0], Duration.ofMinutes(29));
        assertThat(sessions.find(id)).isPresent();
        now[0] = Clock.offset(now[0], Duration.ofMinutes(31));
        assertThat(sessions.find(id)).isEmpty();
        Session other = sessions.open(new Identity(client, "alice", false));
        for (int i = 0; i < 18; i++) {
            now[0] = Clock.offset(now[0], Duration.ofMinutes(29));
            sessions.find(other.id());
        }
        assertThat(sessions.find(other.id())).as("no session outlives its lifetime, however busy").isEmpty();
    }

    /** A running run whose approval step {@code gate} waits for a person, after its step {@code draft}. */
    private ArkRun createWaitingRun(String name) {
        return createWaitingRun(name, 1);
    }

    /** @param asking which time the step asks: a retry of a rejected run asks again */
    private ArkRun createWaitingRun(String name, int asking) {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").addToLabels(Ark.LABEL_TEAM, "writers")
                .withCreationTimestamp(Instant.now().toString()).build());
        run.setSpec(new RunSpec(new TeamRef("writers"), null, null, null, null));
        StepStatus draft = new StepStatus("draft", "writer", StepPhase.Succeeded, name + "/draft/1", 1, 0,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:02Z", null, "a draft", null, null, TokenUsage.of(12, 3));
        StepStatus gate = StepStatus.builder().name("gate").phase(StepPhase.WaitingForApproval).attempts(asking)
                .startTime("2026-01-01T00:00:02Z").message("waiting for approval").tokenUsage(TokenUsage.ZERO)
                .approval(new ApprovalStatus("Publish " + HOSTILE + "?", null, null, null, null, null)).build();
        run.setStatus(RunStatus.builder().phase(RunPhase.WaitingForApproval).startTime("2026-01-01T00:00:00Z")
                .steps(List.of(draft, gate)).stepsDone("1/2").totalTokenUsage(TokenUsage.of(12, 3))
                .waitingForApproval("gate").build());
        return client.resources(ArkRun.class).inNamespace("team-a").resource(run).create();
    }

    private Map<String, String> annotationsOf(String run) {
        Map<String, String> all = client.resources(ArkRun.class).inNamespace("team-a").withName(run).get().getMetadata()
                .getAnnotations();
        return all == null ? Map.of() : all;
    }

    @Test
    void aWaitingStepShowsWhatItAsksAndIsApprovedOrRejectedAsTheSignedInPerson() {
        createWaitingRun("approved");
        createWaitingRun("rejected");
        String cookie = signIn();
        String page = body(dashboard.handle(get("/namespaces/team-a/runs/approved", cookie, HOST)));
        assertThat(page).contains("Asks for approval:", "Publish &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert")
                .contains("/actions/approve", "/actions/reject", "name=\"comment\"", "/actions/cancel")
                .doesNotContain("/actions/retry");
        String csrf = csrf(cookie, "approved");

        WebReply approved = dashboard.handle(post("/namespaces/team-a/runs/approved/actions/approve", cookie, ORIGIN,
                Map.of("csrf", csrf, "step", "gate", "comment", "ship it")));
        assertThat(approved.status()).isEqualTo(303);
        assertThat(annotationsOf("approved")).containsEntry(Ark.ANNOTATION_APPROVE_PREFIX + "gate", ALICE)
                .containsEntry(Ark.ANNOTATION_COMMENT_PREFIX + "gate", "ship it")
                .doesNotContainKey(Ark.ANNOTATION_REJECT_PREFIX + "gate");
        assertThat(body(dashboard.handle(get("/namespaces/team-a/runs/approved", cookie, HOST))))
                .contains("Step gate approved as " + ALICE + ".");

        WebReply rejected = dashboard.handle(post("/namespaces/team-a/runs/rejected/actions/reject", cookie, ORIGIN,
                Map.of("csrf", csrf, "step", "gate", "comment", "")));
        assertThat(rejected.status()).isEqualTo(303);
        assertThat(annotationsOf("rejected")).containsEntry(Ark.ANNOTATION_REJECT_PREFIX + "gate", ALICE)
                .doesNotContainKey(Ark.ANNOTATION_COMMENT_PREFIX + "gate");

        createWaitingRun("asked-again", 2);
        assertThat(dashboard.handle(post("/namespaces/team-a/runs/asked-again/actions/approve", cookie, ORIGIN,
                Map.of("csrf", csrf, "step", "gate", "comment", ""))).status()).isEqualTo(303);
        assertThat(annotationsOf("asked-again")).as("a decision of the second asking has keys of its own")
                .containsEntry(Ark.ANNOTATION_APPROVE_PREFIX + "gate.2", ALICE).doesNotContainKey(Ark.ANNOTATION_APPROVE_PREFIX + "gate");

        WebReply notWaiting = dashboard.handle(post("/namespaces/team-a/runs/rejected/actions/approve", cookie, ORIGIN,
                Map.of("csrf", csrf, "step", "draft", "comment", "")));
        assertThat(notWaiting.status()).isEqualTo(409);
        assertThat(body(notWaiting)).contains("step draft of run rejected is not waiting for approval (it is Succeeded)");
        assertThat(annotationsOf("rejected")).doesNotContainKey(Ark.ANNOTATION_APPROVE_PREFIX + "draft");
    }

    @Test
    void aRunThatHasNotEndedIsCancelledByItsSpecAndAnEndedOneIsNotOffered() {
        createWaitingRun("busy");
        createRun("failed", RunPhase.Failed, "half a draft");
        String cookie = signIn();
        assertThat(body(dashboard.handle(get("/namespaces/team-a/runs/failed", cookie, HOST)))).doesNotContain("/actions/cancel");
        String csrf = csrf(cookie, "busy");

        WebReply refused = dashboard.handle(post("/namespaces/team-a/runs/failed/actions/cancel", cookie, ORIGIN,
                Map.of("csrf", csrf)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(body(refused)).contains("run failed is Failed; only a run that has not ended can be cancelled");
        assertThat(client.resources(ArkRun.class).inNamespace("team-a").withName("failed").get().getSpec().cancel()).isNull();

        WebReply done = dashboard.handle(post("/namespaces/team-a/runs/busy/actions/cancel", cookie, ORIGIN, Map.of("csrf", csrf)));
        assertThat(done.status()).isEqualTo(303);
        ArkRun busy = client.resources(ArkRun.class).inNamespace("team-a").withName("busy").get();
        assertThat(busy.getSpec().cancelled()).isTrue();
        assertThat(busy.getSpec().teamName()).as("the rest of the spec is kept").isEqualTo("writers");
        String after = body(dashboard.handle(get("/namespaces/team-a/runs/busy", cookie, HOST)));
        assertThat(after).contains("Run busy cancelled: queued tasks are withdrawn").doesNotContain("/actions/cancel");
    }

    @Test
    void aThousandRunsArePagedNewestFirstWithTheirTokensSummedExactly() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long tokens = 0;
        for (int i = 0; i < 1000; i++) {
            ArkRun run = new ArkRun();
            run.setMetadata(new ObjectMetaBuilder().withName(String.format("r%04d", i)).withNamespace("team-a")
                    .addToLabels(Ark.LABEL_TEAM, i % 2 == 0 ? "writers" : "editors")
                    .withCreationTimestamp(base.plusSeconds(i).toString()).build());
            run.setSpec(new RunSpec(new TeamRef(i % 2 == 0 ? "writers" : "editors"), null, null, null, null));
            run.setStatus(new RunStatus(i % 7 == 0 ? RunPhase.Failed : RunPhase.Succeeded, base.plusSeconds(i).toString(),
                    base.plusSeconds(i + 2).toString(), null, List.of(), "1/1", null, null, TokenUsage.of(i, 7), null, null,
                    null, null, null, null, null));
            tokens += i + 7;
            client.resources(ArkRun.class).inNamespace("team-a").resource(run).create();
        }
        String cookie = signIn();
        String first = body(dashboard.handle(new WebRequest("GET", "/runs", Map.of(), Map.of(), headers(HOST, null),
                Map.of(Dashboard.COOKIE, cookie), false)));
        assertThat(first).contains("1–50 of 1,000 runs", "<data value=\"" + tokens + "\">")
                .contains("id=\"run-team-a-r0999\"").doesNotContain("id=\"run-team-a-r0949\"");
        assertThat(first.indexOf("run-team-a-r0999")).isLessThan(first.indexOf("run-team-a-r0998"));
        String last = body(dashboard.handle(new WebRequest("GET", "/runs", Map.of("page", List.of("20")), Map.of(),
                headers(HOST, null), Map.of(Dashboard.COOKIE, cookie), false)));
        assertThat(last).contains("951–1,000 of 1,000 runs", "id=\"run-team-a-r0000\"", "rel=\"prev\"").doesNotContain("rel=\"next\"");
        String failed = body(dashboard.handle(new WebRequest("GET", "/runs", Map.of("phase", List.of("Failed"), "team",
                List.of("writers")), Map.of(), headers(HOST, null), Map.of(Dashboard.COOKIE, cookie), false)));
        assertThat(failed).contains("1–50 of 72 runs").doesNotContain("data-phase=\"Succeeded\"");
    }
}
