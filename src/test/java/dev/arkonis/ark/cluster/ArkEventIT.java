package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * ArkEvents on the real API server, the operator a black box: a webhook fired over HTTP at the operator pod's
 * webhook port with the token of the Secret it generated (owned by the event, collected with it by the real garbage
 * collector), each target's run rendered from the body and run through agent pods, one a loop step; a pipeline-output
 * event fired by those runs; concurrencyPolicy Forbid; a cron event's next slot in its time zone; and what kubectl
 * shows of them all (kept in {@code target/cluster-features.txt}).
 */
@Order(25)
class ArkEventIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ArkCluster cluster;
    private static OperatorWebhook webhook;

    /** One role whose step refines its review in a loop of three iterations. */
    private static final String REVIEWS = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: reviews}
            spec:
              inputs:
                - {name: repo, type: string, required: true}
                - {name: pr, type: integer, required: true}
              roles: [{name: reviewer, model: m, provider: mock}]
              pipeline:
                - name: review
                  role: reviewer
                  inputs:
                    prompt: "{{ if .steps.review.iteration }}Again: {{ .steps.review.output }}{{ else }}Review {{ .input.repo }}#{{ .input.pr }}{{ end }}"
                  loop: {condition: "{{ lt .steps.review.iteration 3 }}", maxIterations: 5}
              output: "{{ .steps.review.output }}"
            """;

    private static final String DIGEST = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: digest}
            spec:
              inputs: [{name: summary, required: true}, {name: source, required: true}]
              roles: [{name: writer, model: m, provider: mock}]
              pipeline: [{role: writer, inputs: {prompt: "Digest of {{ .input.source }}: {{ .input.summary }}"}}]
            """;

    /** A webhook with two targets (both of team reviews), and an event fired when a run of reviews succeeds. */
    private static final String EVENTS = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkEvent
            metadata: {name: pr-opened}
            spec:
              source: {type: webhook}
              targets:
                - team: reviews
                  input: {repo: "{{ .trigger.body.repo }}", pr: "{{ .trigger.body.pr }}"}
                - team: reviews
                  input: {repo: "{{ .trigger.body.repo }}-docs", pr: "{{ .trigger.body.pr }}"}
            ---
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkEvent
            metadata: {name: review-done}
            spec:
              source: {type: pipeline-output, pipelineOutput: {name: reviews}}
              targets:
                - team: digest
                  input: {summary: "{{ .trigger.output }}", source: "{{ .trigger.team }}/{{ .trigger.run }}"}
            """;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        cluster.ark();
        webhook = new OperatorWebhook(cluster);
    }

    /** Runs kubectl in the namespace and keeps the transcript for the report. */
    static Command.Result shown(TestNamespace ns, String... args) {
        return Transcripts.keep(ns.kubectl(args).assertSuccess());
    }

    private static ArkEventStatus status(TestNamespace ns, String event) {
        ArkEvent e = cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName(event).get();
        return e == null || e.getStatus() == null ? ArkEventStatus.EMPTY : e.getStatus();
    }

    private static Optional<Condition> ready(TestNamespace ns, String event) {
        List<Condition> conditions = status(ns, event).conditions();
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> Ark.CONDITION_READY.equals(c.getType())).findFirst();
    }

    private static List<ArkRun> runsOf(TestNamespace ns, String event) {
        return cluster.admin.resources(ArkRun.class).inNamespace(ns.name).withLabel(Ark.LABEL_TRIGGER, event).list()
                .getItems().stream().sorted(java.util.Comparator.comparing(r -> r.getMetadata().getName())).toList();
    }

    @Test
    void aWebhookFiresARunPerTargetFromItsBodyAndTheirSuccessFiresAPipelineOutputEventOfAnotherTeam() {
        try (TestNamespace ns = TestNamespace.create(cluster, "webhook")) {
            ns.apply(REVIEWS).assertSuccess();
            ns.apply(DIGEST).assertSuccess();
            ns.apply(EVENTS).assertSuccess();

            // the token Secret, owned by its event; the URL the chart's Service gives
            String token = webhook.token(ns.name, "pr-opened");
            assertThat(token).matches("[0-9a-f]{64}");
            Secret secret = cluster.admin.secrets().inNamespace(ns.name).withName("pr-opened-webhook-token").get();
            ArkEvent prOpened = cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName("pr-opened").get();
            assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("ArkEvent");
                assertThat(o.getUid()).isEqualTo(prOpened.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
            });
            eventually().until(() -> ready(ns, "pr-opened").map(c -> "WebhookReady".equals(c.getReason())).orElse(false));
            String url = "http://ark-operator-triggers.ark-system.svc:8092/triggers/" + ns.name + "/pr-opened/fire";
            assertThat(status(ns, "pr-opened").webhookURL()).isEqualTo(url);
            assertThat(ready(ns, "pr-opened").orElseThrow().getMessage())
                    .isEqualTo("POST " + url + " with the bearer token in Secret pr-opened-webhook-token (key token)");
            Service service = cluster.admin.services().inNamespace(ArkRelease.NAMESPACE).withName("ark-operator-triggers").get();
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8092));
            // the pipeline-output event watches before any run of reviews ends
            eventually().until(() -> ready(ns, "review-done").map(c -> "True".equals(c.getStatus())).orElse(false));
            assertThat(ready(ns, "review-done").orElseThrow().getMessage()).isEqualTo("fires when a run of team reviews ends succeeded");

            String body = "{\"repo\": \"ark\", \"pr\": 42, \"author\": \"ada\"}";
            assertThat(webhook.fire(ns.name, "pr-opened", Optional.empty(), body).status()).as("no token").isEqualTo(401);
            assertThat(webhook.fire(ns.name, "pr-opened", Optional.of("0".repeat(64)), body).status()).as("a wrong token")
                    .isEqualTo(401);
            assertThat(runsOf(ns, "pr-opened")).as("refused requests create nothing").isEmpty();
            OperatorWebhook.Reply fired = webhook.fire(ns.name, "pr-opened", Optional.of(token), body);
            assertThat(fired.status()).as(fired.body().toString()).isEqualTo(202);
            assertThat(fired.body().path("fired").asBoolean()).isTrue();
            assertThat(fired.body().path("runs")).hasSize(2);

            // a run per target, labelled with its team and the trigger, its input rendered from the body
            List<ArkRun> runs = runsOf(ns, "pr-opened");
            assertThat(runs).extracting(r -> r.getMetadata().getName())
                    .containsExactlyInAnyOrder(fired.body().path("runs").get(0).asText(), fired.body().path("runs").get(1).asText());
            assertThat(runs).allSatisfy(r -> assertThat(r.getMetadata().getLabels())
                    .containsEntry(Ark.LABEL_TEAM, "reviews").containsEntry(Ark.LABEL_TRIGGER, "pr-opened"));
            assertThat(runs).extracting(r -> r.getSpec().input())
                    .containsExactlyInAnyOrder(read("{\"repo\": \"ark\", \"pr\": 42}"), read("{\"repo\": \"ark-docs\", \"pr\": 42}"));
            ArkRun code = runs.stream().filter(r -> r.getSpec().input().path("repo").asText().equals("ark")).findFirst().orElseThrow();
            String codeRun = code.getMetadata().getName();

            // the loop step runs three iterations through the agent pod, each one a new task
            RunStatus done = ns.awaitPhase(codeRun, RunPhase.Succeeded);
            StepStatus review = done.steps().get(0);
            assertThat(review.iterations()).isEqualTo(3);
            assertThat(review.taskID()).isEqualTo(codeRun + "/review/3");
            assertThat(review.output()).isEqualTo("mock answer to: Again: mock answer to: Again: mock answer to: Review ark#42");
            assertThat(review.message()).isEqualTo("loop ended after 3 iteration(s): the condition is false");
            assertThat(done.output()).isEqualTo(review.output());
            Command.Result steps = shown(ns, "get", "arkrun", codeRun, "-o", "jsonpath={.status.steps}");
            JsonNode stepsJson = read(steps.stdout());
            assertThat(stepsJson.get(0).path("iterations").asInt()).isEqualTo(3);
            assertThat(stepsJson.get(0).path("phase").asText()).isEqualTo("Succeeded");
            assertThat(stepsJson.get(0).path("output").asText()).isEqualTo(review.output());
            String docsRun = runs.stream().map(r -> r.getMetadata().getName()).filter(n -> !n.equals(codeRun)).findFirst().orElseThrow();
            RunStatus docs = ns.awaitPhase(docsRun, RunPhase.Succeeded);

            // the webhook event counted the fire and said so in an Event
            eventually().until(() -> status(ns, "pr-opened").fired() == 1);
            assertThat(Instant.parse(status(ns, "pr-opened").lastFiredAt())).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
            assertThat(status(ns, "pr-opened").lastRuns()).containsExactlyInAnyOrderElementsOf(List.of(codeRun, docsRun));
            eventually().untilAsserted(() -> assertThat(ns.events("pr-opened")).anySatisfy(e -> assertThat(e)
                    .startsWith("Normal Fired: fired by webhook delivery: created run(s) ").contains(codeRun, docsRun)));

            // each succeeded run of reviews fired a run of digest, with its output
            eventually().atMost(Duration.ofSeconds(90)).until(() -> runsOf(ns, "review-done").size() == 2
                    && runsOf(ns, "review-done").stream().allMatch(r -> r.getStatus() != null && r.getStatus().phase() == RunPhase.Succeeded));
            assertThat(runsOf(ns, "review-done")).allSatisfy(r -> assertThat(r.getMetadata().getLabels())
                    .containsEntry(Ark.LABEL_TEAM, "digest").containsEntry(Ark.LABEL_TRIGGER, "review-done"));
            assertThat(runsOf(ns, "review-done")).extracting(r -> r.getSpec().input())
                    .containsExactlyInAnyOrder(JSON.createObjectNode().put("summary", done.output()).put("source", "reviews/" + codeRun),
                            JSON.createObjectNode().put("summary", docs.output()).put("source", "reviews/" + docsRun));
            eventually().until(() -> status(ns, "review-done").fired() == 2);
            assertThat(ns.eventReasons("review-done")).contains("Fired");
            assertThat(runsOf(ns, "review-done")).as("digest's own runs fire nothing").hasSize(2);

            // what kubectl shows: the columns of the spec, in its order, reading as words and times
            Command.Result get = shown(ns, "get", "arkevent");
            String[] lines = get.stdout().split("\n");
            assertThat(lines[0]).matches("NAME\\s+TYPE\\s+SUSPENDED\\s+FIRED\\s+LAST FIRED\\s+NEXT FIRE\\s+AGE");
            assertThat(get.stdout()).containsPattern("(?m)^pr-opened\\s+webhook\\s+false\\s+1\\s+\\d+[sm]\\s+\\d+[sm]$")
                    .containsPattern("(?m)^review-done\\s+pipeline-output\\s+false\\s+2\\s+\\d+[sm]\\s+\\d+[sm]$");
            shown(ns, "describe", "arkevent", "pr-opened");

            // deleting the event takes its token Secret (real garbage collection); its runs stay
            ns.kubectl("delete", "arkevent", "pr-opened").assertSuccess();
            eventually().atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.admin.secrets().inNamespace(ns.name).withName("pr-opened-webhook-token").get() == null);
            assertThat(ns.run(codeRun)).isNotNull();
            assertThat(webhook.fire(ns.name, "pr-opened", Optional.of(token), body).status())
                    .as("a gone event answers as a wrong token: names cannot be tried").isEqualTo(401);
        }
    }

    @Test
    void forbidRefusesAFireWhileARunOfTheEventIsUnfinished() {
        try (TestNamespace ns = TestNamespace.create(cluster, "forbid")) {
            // nobody serves this role, so the run it gets stays unfinished
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: held}
                    spec:
                      roles: [{name: idle, model: m, provider: mock, replicas: 0}]
                      pipeline: [{role: idle, inputs: {prompt: "wait {{ .input.count }}"}}]
                      inputs: [{name: count, type: integer}]
                    ---
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkEvent
                    metadata: {name: gate}
                    spec:
                      source: {type: webhook}
                      concurrencyPolicy: Forbid
                      targets: [{team: held, input: {count: "{{ .trigger.body.count }}"}}]
                    """).assertSuccess();
            String token = webhook.token(ns.name, "gate");
            eventually().until(() -> status(ns, "gate").webhookURL() != null);

            OperatorWebhook.Reply first = webhook.fire(ns.name, "gate", Optional.of(token), "{\"count\": 1}");
            assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
            String run = first.body().path("runs").get(0).asText();
            eventually().until(() -> ns.run(run).getStatus() != null && ns.run(run).getStatus().phase() == RunPhase.Running);

            OperatorWebhook.Reply second = webhook.fire(ns.name, "gate", Optional.of(token), "{\"count\": 2}");
            assertThat(second.status()).as(second.body().toString()).isEqualTo(409);
            assertThat(second.body().path("reason").asText()).isEqualTo("ConcurrencyForbidden");
            assertThat(runsOf(ns, "gate")).extracting(r -> r.getMetadata().getName()).containsExactly(run);
            eventually().untilAsserted(() -> assertThat(ns.events("gate")).contains("Warning ConcurrencyForbidden: not fired:"
                    + " concurrencyPolicy is Forbid and run(s) " + run + " of this event are still unfinished"));
            eventually().until(() -> status(ns, "gate").refused() == 1);
            assertThat(status(ns, "gate").fired()).isEqualTo(1);
            assertThat(webhook.fire(ns.name, "no-such-event", Optional.of(token), "{}").status())
                    .as("an unknown event answers as a wrong token").isEqualTo(401);

            // once that run is gone the next fire goes through
            ns.kubectl("delete", "arkrun", run).assertSuccess();
            eventually().until(() -> ns.run(run) == null);
            OperatorWebhook.Reply third = webhook.fire(ns.name, "gate", Optional.of(token), "{\"count\": 3}");
            assertThat(third.status()).as(third.body().toString()).isEqualTo(202);
            assertThat(ns.run(third.body().path("runs").get(0).asText()).getSpec().input()).isEqualTo(read("{\"count\": 3}"));
            eventually().until(() -> status(ns, "gate").fired() == 2);
        }
    }

    @Test
    void aCronEventShowsItsNextSlotInItsTimeZoneAndTheServerRefusesOneWithoutASchedule() {
        try (TestNamespace ns = TestNamespace.create(cluster, "cron")) {
            Command.Result refused = ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkEvent
                    metadata: {name: unscheduled}
                    spec: {source: {type: cron}, targets: [{team: digest}]}
                    """);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("spec.source", "a cron source needs cron (5 fields)");

            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkEvent
                    metadata: {name: weekday-digest}
                    spec:
                      source: {type: cron, cron: "30 2 * * 1-5", timeZone: Europe/Berlin}
                      targets: [{team: digest, input: {summary: "night of {{ .trigger.scheduledAt }}", source: cron}}]
                    """).assertSuccess();
            eventually().until(() -> status(ns, "weekday-digest").nextFireAt() != null);
            Instant next = Instant.parse(status(ns, "weekday-digest").nextFireAt());
            assertThat(next).isEqualTo(nextWeekdayAt0230Berlin(Instant.now().minusSeconds(5)));
            assertThat(ready(ns, "weekday-digest").orElseThrow().getMessage()).isEqualTo("next fire at " + next);
            assertThat(status(ns, "weekday-digest").fired()).isZero();

            Command.Result get = shown(ns, "get", "arkevent");
            assertThat(get.stdout().split("\n")[0]).matches("NAME\\s+TYPE\\s+SUSPENDED\\s+FIRED\\s+LAST FIRED\\s+NEXT FIRE\\s+AGE");
            assertThat(get.stdout()).as("the next slot reads as a time, not as an age")
                    .containsPattern("(?m)^weekday-digest\\s+cron\\s+false\\s+0\\s+" + next + "\\s+\\d+s$");

            ns.kubectl("patch", "arkevent", "weekday-digest", "--type=merge", "-p", "{\"spec\":{\"suspended\":true}}")
                    .assertSuccess();
            eventually().until(() -> status(ns, "weekday-digest").nextFireAt() == null);
            assertThat(ready(ns, "weekday-digest").orElseThrow().getReason()).isEqualTo("Suspended");
            assertThat(shown(ns, "get", "arkevent").stdout()).containsPattern("(?m)^weekday-digest\\s+cron\\s+true\\s+0\\s+\\d+s$");
        }
    }

    @Test
    void theCookbooksEventAndNotifyFilesAreAcceptedAsTheyAreWritten() {
        try (TestNamespace ns = TestNamespace.named(cluster, "ark-teams")) {
            for (String file : List.of("budget-notify", "webhook-fanout", "cron-digest")) {
                Command.Result apply = ns.kubectl("apply", "--dry-run=server", "-f",
                        "src/test/resources/cookbook/" + file + ".yaml").assertSuccess();
                assertThat(apply.stdout()).contains("(server dry run)");
                assertThat(apply.stderr()).as("no unknown or dropped fields").doesNotContain("Warning");
            }
        }
    }

    /** 02:30 in Berlin on the next Monday to Friday after {@code from} (never ambiguous: DST changes on Sundays). */
    private static Instant nextWeekdayAt0230Berlin(Instant from) {
        ZonedDateTime slot = from.atZone(ZoneId.of("Europe/Berlin")).withHour(2).withMinute(30).withSecond(0).withNano(0);
        while (!slot.toInstant().isAfter(from) || slot.getDayOfWeek() == DayOfWeek.SATURDAY
                || slot.getDayOfWeek() == DayOfWeek.SUNDAY) {
            slot = slot.plusDays(1).withHour(2).withMinute(30);
        }
        return slot.toInstant();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
