package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.NotifyDelivery;
import dev.arkonis.ark.api.NotifyEventType;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.operator.notify.Receiver;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * ArkNotify on the real cluster: a webhook channel whose URL the operator reads from a Secret, pointing to a
 * receiver in the test that the operator's pod reaches on loopback. A team's succeeded and failed runs and its
 * agent's spent budget (the suite's budget window of seconds) arrive there with their templates rendered, a refused
 * delivery is retried, the ArkNotify's status tells the last delivery, and the URL is in no log, status or Event.
 */
@Order(26)
class ArkNotifyIT {
    private static final String SECRET_PATH = "/hooks/T0ARK/B0ARK/s3cr3t-notify-path";
    private static ArkCluster cluster;

    private static final String NOTIFY = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkNotify
            metadata: {name: alerts}
            spec:
              channel:
                type: webhook
                webhook: {urlSecretRef: {name: alerts-hook, key: url}}
              events:
                - type: TeamSucceeded
                  template: "{{ .team.name }}: run {{ .run.name }} succeeded with {{ .run.status.totalTokenUsage.totalTokens }} tokens: {{ .run.status.output }}"
                - type: TeamFailed
                  template: "{{ .team.name }}: run {{ .run.name }} failed at step {{ .run.status.failedStep }}: {{ .run.status.message }}"
                - type: BudgetExceeded
                  template: '{{ .agent.name }} spent {{ .agent.status.dailyTokensUsed | int | printf "%d" }} of {{ .agent.spec.limits.maxDailyTokens | int | printf "%d" }} tokens'
              rateLimiting: {windowSeconds: 60, maxPerWindow: 5}
            """;

    /** A worker with no budget, then a counter on a budget of 10 tokens, which its one step spends. */
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: watched}
            spec:
              notifyRef: {name: alerts}
              inputs: [{name: task, required: true}]
              roles:
                - {name: worker, model: m, provider: mock}
                - {name: counter, model: m, provider: mock, limits: {maxDailyTokens: 10}}
              pipeline:
                - {name: work, role: worker, inputs: {prompt: "{{ .input.task }}"}}
                - {name: count, role: counter, dependsOn: [work], inputs: {prompt: "Count the words of {{ .steps.work.output }}"}}
              output: "{{ .steps.count.output }}"
            """;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        cluster.ark();
    }

    private static ArkNotifyStatus status(TestNamespace ns) {
        ArkNotify notify = cluster.admin.resources(ArkNotify.class).inNamespace(ns.name).withName("alerts").get();
        return notify == null || notify.getStatus() == null ? ArkNotifyStatus.EMPTY : notify.getStatus();
    }

    private static Map<String, JsonNode> byEvent(Receiver receiver) {
        return receiver.bodies().stream().collect(Collectors.toMap(b -> b.path("event").asText(), b -> b, (a, b) -> b));
    }

    @Test
    void succeededAndFailedRunsAndASpentBudgetReachTheWebhookRenderedAndTheUrlStaysSecret() {
        try (TestNamespace ns = TestNamespace.create(cluster, "notify"); Receiver receiver = new Receiver()) {
            String url = receiver.url(SECRET_PATH);
            cluster.admin.secrets().inNamespace(ns.name).resource(new SecretBuilder().withNewMetadata().withName("alerts-hook")
                    .endMetadata().addToStringData("url", url).build()).create();
            Command.Result refused = ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkNotify
                    metadata: {name: nowhere}
                    spec: {channel: {type: slack}, events: [{type: TeamFailed}]}
                    """);
            assertThat(refused.exitCode()).as("the API server refuses a channel without its URL").isNotZero();
            assertThat(refused.stderr()).contains("spec.channel", "a slack channel needs slack.webhookUrlSecretRef");
            ns.apply(NOTIFY).assertSuccess();
            ns.apply(TEAM).assertSuccess();
            eventually().until(() -> status(ns).conditions() != null);
            assertThat(status(ns).conditions()).singleElement().satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getMessage()).isEqualTo("sends TeamSucceeded, TeamFailed, BudgetExceeded to its webhook channel,"
                        + " rate limited per team and event type");
            });

            // a run that succeeds, and spends the counter's budget on the way
            ns.startRun("ok", "watched", "{task: summarize the release notes}");
            RunStatus ok = ns.awaitPhase("ok", RunPhase.Succeeded);
            eventually().until(() -> receiver.bodies().size() == 2);
            Map<String, JsonNode> sent = byEvent(receiver);
            assertThat(sent).containsOnlyKeys("TeamSucceeded", "BudgetExceeded");
            JsonNode succeeded = sent.get("TeamSucceeded");
            assertThat(succeeded.path("message").asText()).isEqualTo("watched: run ok succeeded with "
                    + ok.totalTokenUsage().totalTokens() + " tokens: " + ok.output());
            assertThat(succeeded.path("namespace").asText()).isEqualTo(ns.name);
            assertThat(succeeded.path("team").asText()).isEqualTo("watched");
            assertThat(succeeded.path("subject").asText()).isEqualTo("ok");
            assertThat(succeeded.path("notify").asText()).isEqualTo("alerts");
            assertThat(succeeded.path("time").asText()).isNotBlank();
            Matcher budget = Pattern.compile("watched-counter spent (\\d+) of 10 tokens")
                    .matcher(sent.get("BudgetExceeded").path("message").asText());
            assertThat(budget.matches()).as(sent.get("BudgetExceeded").toString()).isTrue();
            assertThat(Long.parseLong(budget.group(1))).isGreaterThanOrEqualTo(10);
            assertThat(sent.get("BudgetExceeded").path("subject").asText()).isEqualTo("watched-counter");
            assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.path()).isEqualTo(SECRET_PATH));

            // a run that fails at its first step; the receiver refuses the first try of that message
            receiver.answer(503);
            ns.startRun("bad", "watched", "{task: \"[mock:fail] summarize\"}");
            RunStatus bad = ns.awaitPhase("bad", RunPhase.Failed);
            eventually().until(() -> receiver.bodies().size() == 4);
            List<JsonNode> failed = receiver.bodies().subList(2, 4);
            assertThat(failed).allSatisfy(b -> {
                assertThat(b.path("event").asText()).isEqualTo("TeamFailed");
                assertThat(b.path("message").asText()).isEqualTo("watched: run bad failed at step work: " + bad.message());
            });
            assertThat(bad.message()).isNotBlank();

            // the status tells the last delivery; the counts and columns add up
            eventually().until(() -> status(ns).sentCount() != null && status(ns).sentCount() == 3);
            NotifyDelivery last = status(ns).lastDelivery();
            assertThat(last.event()).isEqualTo(NotifyEventType.TeamFailed);
            assertThat(last.result()).isEqualTo("Sent");
            assertThat(last.subject()).isEqualTo("bad");
            assertThat(last.team()).isEqualTo("watched");
            assertThat(last.attempts()).isEqualTo(2);
            assertThat(last.httpStatus()).isEqualTo(200);
            assertThat(last.message()).isEqualTo("watched: run bad failed at step work: " + bad.message());
            assertThat(status(ns).failedCount()).isZero();
            Command.Result describe = ArkEventIT.shown(ns, "describe", "arknotify", "alerts");
            assertThat(describe.stdout()).containsPattern("Sent Count:\\s+3").containsPattern("Failed Count:\\s+0")
                    .contains("Last Delivery:").containsPattern("Event:\\s+TeamFailed").containsPattern("Result:\\s+Sent")
                    .containsPattern("Attempts:\\s+2").containsPattern("Http Status:\\s+200");
            Command.Result get = ArkEventIT.shown(ns, "get", "arknotify");
            assertThat(get.stdout().split("\n")[0]).matches("NAME\\s+CHANNEL\\s+SENT\\s+FAILED\\s+LAST DELIVERY\\s+AGE");
            assertThat(get.stdout()).containsPattern("(?m)^alerts\\s+webhook\\s+3\\s+0\\s+\\d+s\\s+\\d+[sm]$");

            // the URL is a secret: in no status, Event or log line
            String hidden = "s3cr3t-notify-path";
            assertThat(ns.kubectl("get", "arknotify", "alerts", "-o", "yaml").assertSuccess().stdout()).doesNotContain(hidden);
            assertThat(ns.kubectl("get", "events", "-o", "yaml").assertSuccess().stdout()).doesNotContain(hidden);
            assertThat(cluster.kube.kubectl("logs", "deployment/ark-operator", "-n", ArkRelease.NAMESPACE).assertSuccess().stdout())
                    .doesNotContain(hidden);
        }
    }
}
