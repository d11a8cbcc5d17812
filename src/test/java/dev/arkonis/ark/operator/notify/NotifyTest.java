package dev.arkonis.ark.operator.notify;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ArkNotify against a local HTTP receiver, with real runs: mock API server, real Redis, agent pods. */
class NotifyTest {
    private static final String NS = "ark-teams";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SECRET_PATH = "/services/T0AAA/B0BBB/s3cr3tpath";

    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;
    private PodAgents agents;
    private final Receiver receiver = new Receiver();

    private void start(int budgetWindowSeconds) throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        // deliveries tried three times, 50 ms apart at first, to the receiver on loopback
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(),
                "BUDGET_WINDOW_SECONDS", Integer.toString(budgetWindowSeconds), "NOTIFY_ATTEMPTS", "3",
                "NOTIFY_BACKOFF_MS", "50", "NOTIFY_TIMEOUT_SECONDS", "2", "NOTIFY_DASHBOARD_URL", "https://dash.example",
                EgressPolicy.ALLOW, "127.0.0.0/8"), connections);
        agents = new PodAgents(cluster.client);
        cluster.client.resource(new SecretBuilder().withNewMetadata().withName("analytics-slack-secret").withNamespace(NS)
                .endMetadata().withStringData(Map.of("webhookUrl", receiver.url(SECRET_PATH))).build()).create();
    }

    @AfterEach
    void stop() {
        if (agents != null) {
            agents.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (connections != null) {
            connections.close();
        }
        if (redis != null) {
            redis.close();
        }
        receiver.close();
    }

    /** Creates every document of a test resource file, by kind. */
    private void apply(String resource) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(resource);
             MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type = switch (doc.path("kind").asText()) {
                    case "ArkNotify" -> ArkNotify.class;
                    case "ArkTeam" -> ArkTeam.class;
                    default -> throw new IllegalArgumentException("unexpected kind " + doc.path("kind"));
                };
                cluster.create(YAML.writeValueAsString(doc), type);
            }
        }
    }

    private ArkRun run(String name, String team, String input) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: ark-teams}
                spec: {teamRef: {name: %s}, input: %s}
                """.formatted(name, team, input), ArkRun.class);
    }

    private RunStatus awaitRun(String name, RunPhase phase) {
        eventually().until(() -> {
            ArkRun run = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
            return run.getStatus() != null && run.getStatus().phase() == phase;
        });
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get().getStatus();
    }

    private ArkNotifyStatus notifyStatus(String name) {
        ArkNotify notify = cluster.client.resources(ArkNotify.class).inNamespace(NS).withName(name).get();
        return notify.getStatus() == null ? ArkNotifyStatus.EMPTY : notify.getStatus();
    }

    private List<Event> events(String object) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<String> texts() {
        return receiver.bodies().stream().map(b -> b.path("text").asText()).toList();
    }

    @Test
    void theCookbooksBudgetNotifyFileAppliedAsItIsSendsItsSlackMessages() throws Exception {
        start(3600);
        cluster.client.resource(new ConfigMapBuilder().withNewMetadata().withName("analytics-analyst-prompt").withNamespace(NS)
                .endMetadata().withData(Map.of("system.txt", "You are a data analyst.")).build()).create();
        apply("/cookbook/budget-notify.yaml");
        eventually().untilAsserted(() -> assertThat(notifyStatus("analytics-slack-alerts").conditions()).singleElement()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getMessage()).isEqualTo("sends TeamFailed, TeamTimedOut, BudgetExceeded, TeamSucceeded "
                            + "to its slack channel, rate limited per team and event type");
                }));
        // the cookbook's models are Anthropic's; the pods here answer with the mock provider
        agents.start(NS, "analytics-team-analyst", Map.of("AGENT_PROVIDER", "mock"));
        agents.start(NS, "analytics-team-reporter", Map.of("AGENT_PROVIDER", "mock"));

        run("q1", "analytics-team", "{dataset: events_q1, question: What drove the drop?}");
        RunStatus done = awaitRun("q1", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(texts()).hasSize(1));
        assertThat(receiver.requests().get(0).path()).isEqualTo(SECRET_PATH);
        assertThat(texts().get(0)).isEqualTo(":white_check_mark: run done\nTeam: `analytics-team`\n"
                + "Question: What drove the drop?\nDuration: " + new NoticeDataProbe().duration(done) + "s\n"
                + "Tokens: " + done.totalTokenUsage().totalTokens() + "\n"
                + "<https://dash.example/namespaces/ark-teams/runs/q1|results>\n");
        eventually().untilAsserted(() -> assertThat(notifyStatus("analytics-slack-alerts").sentCount()).isEqualTo(1));
        assertThat(notifyStatus("analytics-slack-alerts").lastDelivery().result()).isEqualTo("Sent");

        // one TeamSucceeded per team per 5 minutes: the second is held back
        run("q2", "analytics-team", "{dataset: events_q1, question: And in week 11?}");
        awaitRun("q2", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(notifyStatus("analytics-slack-alerts").suppressedCount()).isEqualTo(1));
        assertThat(notifyStatus("analytics-slack-alerts").lastDelivery().result()).isEqualTo("Suppressed");
        assertThat(texts()).hasSize(1);

        run("q3", "analytics-team", "{dataset: events_q1, question: \"[mock:fail]\"}");
        awaitRun("q3", RunPhase.Failed);
        eventually().untilAsserted(() -> assertThat(texts()).hasSize(2));
        assertThat(texts().get(1)).startsWith(":x: pipeline failed\nTeam: `analytics-team`\nRun: `q3`\nReason: step analyst failed: ")
                .contains("\nFailed step: analyst\n<https://dash.example/namespaces/ark-teams/runs/q3|open>");

        // docs/troubleshooting.md's patch, the other way round: a budget of 1 token is spent already
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("analytics-team-reporter").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"limits\":{\"maxDailyTokens\":1}}}");
        eventually().untilAsserted(() -> assertThat(texts()).hasSize(3));
        long used = cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("analytics-team-reporter").get()
                .getStatus().dailyTokenUsage().totalTokens();
        assertThat(texts().get(2)).startsWith(":moneybag: budget spent\nAgent: `analytics-team-reporter`\nBudget: 1 tokens\n"
                + "Used: " + used + " tokens\nResets: in ~").endsWith(" minutes\n");
        assertThat(used).isPositive();
        assertThat(String.valueOf(notifyStatus("analytics-slack-alerts"))).doesNotContain("s3cr3tpath");
    }

    private static final String ALL_EVENTS = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkNotify
            metadata: {name: all-events, namespace: ark-teams}
            spec:
              channel:
                type: webhook
                webhook: {urlSecretRef: {name: analytics-slack-secret, key: webhookUrl}}
              events:
                - {type: TeamSucceeded, template: "{{ .run.name }} ok: {{ .run.status.output }}"}
                - {type: TeamFailed, template: "{{ .run.name }} failed at {{ .run.status.failedStep }}"}
                - {type: TeamTimedOut, template: "{{ .run.name }} timed out: {{ .run.status.message }}"}
                - {type: StepFailed, template: "{{ .step.name }} ({{ .step.role }}) of {{ .run.name }}: {{ .step.message }}"}
                - {type: BudgetExceeded, template: "{{ .agent.name }} spent {{ .agent.status.dailyTokensUsed }} of {{ .agent.spec.limits.maxDailyTokens }}"}
                - {type: BudgetRestored}
            """;

    private void team(String name, String role, String extra) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: %s, namespace: ark-teams}
                spec:
                  notifyRef: {name: all-events}
                  inputs: [{name: text, default: hello}]
                  roles: [{name: %s, model: m, provider: mock%s}]
                  pipeline: [{role: %s, inputs: {prompt: "say {{ .input.text }}"}}]
                """.formatted(name, role, extra, role), ArkTeam.class);
    }

    private List<JsonNode> received(String event) {
        return receiver.bodies().stream().filter(b -> event.equals(b.path("event").asText())).toList();
    }

    @Test
    void everyEventTypeReachesAPlainWebhookAsJson() throws Exception {
        start(6);
        cluster.create(ALL_EVENTS, ArkNotify.class);
        team("plain", "worker", "");
        team("slow", "sleeper", "");
        team("budgeted", "spender", ", limits: {maxDailyTokens: 5}");
        agents.start(NS, "plain-worker");
        agents.start(NS, "slow-sleeper", Map.of("AGENT_MOCK_LATENCY_MS", "5000"));
        agents.start(NS, "budgeted-spender");

        run("ok", "plain", "{}");
        awaitRun("ok", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(received("TeamSucceeded")).singleElement().satisfies(b -> {
            assertThat(b.path("message").asText()).isEqualTo("ok ok: mock answer to: say hello");
            assertThat(b.path("team").asText()).isEqualTo("plain");
            assertThat(b.path("subject").asText()).isEqualTo("ok");
            assertThat(b.path("namespace").asText()).isEqualTo(NS);
            assertThat(b.path("notify").asText()).isEqualTo("all-events");
        }));

        run("bad", "plain", "{text: \"[mock:fail]\"}");
        awaitRun("bad", RunPhase.Failed);
        eventually().untilAsserted(() -> assertThat(received("TeamFailed")).singleElement()
                .satisfies(b -> assertThat(b.path("message").asText()).isEqualTo("bad failed at worker")));
        eventually().untilAsserted(() -> assertThat(received("StepFailed")).singleElement()
                .satisfies(b -> assertThat(b.path("message").asText()).startsWith("worker (worker) of bad: ")));

        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: late, namespace: ark-teams}
                spec: {teamRef: {name: slow}, timeoutSeconds: 1}
                """, ArkRun.class);
        awaitRun("late", RunPhase.TimedOut);
        eventually().untilAsserted(() -> assertThat(received("TeamTimedOut")).singleElement()
                .satisfies(b -> assertThat(b.path("message").asText()).isEqualTo("late timed out: run timed out after 1s")));
        eventually().untilAsserted(() -> assertThat(received("StepFailed")).extracting(b -> b.path("message").asText())
                .contains("sleeper (sleeper) of late: abandoned: the run timed out"));

        run("spend", "budgeted", "{}");
        awaitRun("spend", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(received("BudgetExceeded")).singleElement()
                .satisfies(b -> assertThat(b.path("message").asText()).matches("budgeted-spender spent \\d+ of 5")));
        // the 6 s window rotates: the agent has budget again, and the message is the default one
        eventually().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received("BudgetRestored")).singleElement()
                .satisfies(b -> assertThat(b.path("message").asText())
                        .isEqualTo("agent budgeted-spender of team budgeted has token budget again")));
        // two runs succeeded, one failed, one timed out; two steps failed; one budget ran out and came back
        eventually().untilAsserted(() -> assertThat(notifyStatus("all-events").sentCount()).isEqualTo(8));
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenReportedWithoutItsUrl() throws Exception {
        start(3600);
        cluster.create(ALL_EVENTS, ArkNotify.class);
        team("plain", "worker", "");
        agents.start(NS, "plain-worker");

        receiver.answer(500, 503);
        run("third-time", "plain", "{}");
        awaitRun("third-time", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(notifyStatus("all-events").sentCount()).isEqualTo(1));
        assertThat(notifyStatus("all-events").lastDelivery().attempts()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(3);

        receiver.answerAlways(500);
        run("never", "plain", "{}");
        awaitRun("never", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(notifyStatus("all-events").failedCount()).isEqualTo(1));
        ArkNotifyStatus status = notifyStatus("all-events");
        assertThat(status.lastFailure().result()).isEqualTo("Failed");
        assertThat(status.lastFailure().httpStatus()).isEqualTo(500);
        assertThat(status.lastFailure().message()).as("the channel's answer is its own, not copied")
                .isEqualTo("the channel answered HTTP 500 (after 3 tries)");
        assertThat(status.lastFailure().subject()).isEqualTo("never");
        eventually().untilAsserted(() -> assertThat(events("all-events")).extracting(Event::getReason).contains("DeliveryFailed"));
        assertThat(events("all-events")).extracting(Event::getMessage).noneMatch(m -> m.contains("s3cr3tpath")
                || m.contains("127.0.0.1") || m.contains("no_service"));
        assertThat(String.valueOf(status)).doesNotContain("s3cr3tpath").doesNotContain("127.0.0.1").doesNotContain("no_service");

        receiver.answerAlways(404);
        run("gone", "plain", "{}");
        awaitRun("gone", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(notifyStatus("all-events").failedCount()).isEqualTo(2));
        assertThat(notifyStatus("all-events").lastFailure().attempts()).as("a 404 is not retried").isEqualTo(1);
    }

    @Test
    void templateProblemsAreReportedInStatusAndNothingIsSent() throws Exception {
        start(3600);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkNotify
                metadata: {name: confused, namespace: ark-teams}
                spec:
                  channel: {type: slack, slack: {webhookUrlSecretRef: {name: analytics-slack-secret, key: webhookUrl}}}
                  events:
                    - {type: TeamFailed, template: "{{ .agent.name }}"}
                """, ArkNotify.class);
        eventually().untilAsserted(() -> assertThat(notifyStatus("confused").conditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).isEqualTo("spec.events[0].template: reads \".agent\", which TeamFailed messages do "
                    + "not have (they have .event, .message, .run, .team)");
        }));

        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkNotify
                metadata: {name: all-events, namespace: ark-teams}
                spec:
                  channel: {type: slack, slack: {webhookUrlSecretRef: {name: analytics-slack-secret, key: webhookUrl}}}
                  events:
                    - {type: TeamSucceeded, template: "{{ .run.status.nosuch }}"}
                """, ArkNotify.class);
        team("plain", "worker", "");
        agents.start(NS, "plain-worker");
        run("r1", "plain", "{}");
        awaitRun("r1", RunPhase.Succeeded);
        eventually().untilAsserted(() -> assertThat(notifyStatus("all-events").failedCount()).isEqualTo(1));
        assertThat(notifyStatus("all-events").lastFailure().result()).isEqualTo("TemplateFailed");
        assertThat(notifyStatus("all-events").lastFailure().message()).startsWith("spec.events[0].template: ").contains("nosuch");
        assertThat(receiver.requests()).isEmpty();
    }
}
