package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.dashboard.actions.RunActions;
import dev.arkonis.ark.operator.notify.Receiver;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs people steer, on the real control plane with the operator and agents the chart installs: approval steps
 * decided with ark approve, kubectl annotate, the dashboard's action and an ArkNotify's link, each recorded as the
 * API server (or the link's channel) vouches; suspend, resume and cancel as writes of the spec, with the queued task
 * taken back from Redis; a new run from a step of an ended one; and a cached step that costs the run and the agent's
 * budget nothing. alice may approve; bob may edit runs, not approve them.
 */
@Order(57)
class SteeringIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ArkCluster cluster;
    private static ArkRelease ark;
    private static TestNamespace ns;
    private static ClusterUsers users;
    private static Path aliceConfig;
    private static Path bobConfig;
    private static KubernetesClient alice;
    private static String aliceName;

    private static final String GATED = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: blog}
            spec:
              inputs: [{name: topic, default: otters}]
              roles: [{name: writer, model: m, provider: mock}]
              pipeline:
                - {name: draft, role: writer, inputs: {prompt: "Write about {{ .input.topic }}"}}
                - name: review
                  dependsOn: [draft]
                  approval: {message: "Publish this post about {{ .input.topic }}?"}
                - name: publish
                  role: writer
                  dependsOn: [review]
                  inputs: {prompt: "Publish minding {{ .steps.review.output }}"}
            """;

    @BeforeAll
    static void twoPeople() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
        ns = TestNamespace.create(cluster, "steer");
        KubernetesClient admin = cluster.admin;
        admin.rbac().roles().inNamespace(ns.name).resource(new RoleBuilder().withNewMetadata().withName("run-user")
                .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("arkonis.dev").withResources("arkruns")
                        .withVerbs("get", "list", "watch", "create", "patch").build(), new PolicyRuleBuilder()
                        .withApiGroups("arkonis.dev").withResources("arkteams").withVerbs("get", "list").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("events").withVerbs("list").build())
                .build()).create();
        users = new ClusterUsers(cluster, ns);
        users.add("alice", Map.of("run-user", "Role", "ark-approver", "ClusterRole"));
        users.add("bob", Map.of("run-user", "Role"));
        aliceConfig = users.kubeconfig("alice");
        bobConfig = users.kubeconfig("bob");
        alice = users.client("alice", "steering-it");
        aliceName = users.name("alice");
        ns.apply(GATED).assertSuccess();
    }

    @AfterAll
    static void close() throws IOException {
        alice.close();
        Files.deleteIfExists(aliceConfig);
        Files.deleteIfExists(bobConfig);
        ns.close();
    }

    private static Map<String, String> as(Path kubeconfig) {
        return users.shellEnv(kubeconfig);
    }

    private static Command.Result arkAs(Path kubeconfig, String... args) {
        return Transcripts.keep(cluster.ark(Map.of("KUBECONFIG", kubeconfig.toString()), args));
    }

    private static StepStatus step(RunStatus status, String name) {
        return status.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static void createRun(String yaml) {
        ns.apply(yaml).assertSuccess();
    }

    @Test
    void aPersonApprovesWithArkApproveAndIsRecordedAsTheApiServerKnowsThem() {
        ns.startRun("g1", "blog", "{topic: otters}");
        RunStatus waiting = ns.awaitPhase("g1", RunPhase.WaitingForApproval);
        assertThat(waiting.waitingForApproval()).isEqualTo("review");
        assertThat(step(waiting, "review").approval().message()).isEqualTo("Publish this post about otters?");
        assertThat(ns.kubectl("get", "arkrun", "g1", "-o", "wide").assertSuccess().stdout())
                .contains("WaitingForApproval", "review");
        assertThat(arkAs(aliceConfig, "status", "g1").assertSuccess().stdout())
                .contains("--- review waits for approval ---", "Publish this post about otters?", "ark approve g1 review");

        Command.Result refused = arkAs(bobConfig, "approve", "g1", "review");
        assertThat(refused.exitCode()).as(refused.transcript()).isNotZero();
        assertThat(refused.stderr()).contains("needs the verb approve on arkruns");

        Command.Result approved = arkAs(aliceConfig, "approve", "g1", "review", "--comment", "ship it");
        assertThat(approved.stdout()).as(approved.transcript()).contains("approved step review of run g1 as " + aliceName);
        RunStatus done = ns.awaitPhase("g1", RunPhase.Succeeded);
        StepStatus review = step(done, "review");
        assertThat(review.approval().decidedBy()).isEqualTo(aliceName);
        assertThat(review.approval().comment()).isEqualTo("ship it");
        assertThat(review.approval().decidedAt()).isNotBlank();
        assertThat(review.output()).isEqualTo("ship it");
        assertThat(review.tokenUsage().totalTokens()).isZero();
        assertThat(step(done, "publish").output()).contains("Publish minding ship it");
        eventually().untilAsserted(() -> assertThat(ns.story("g1"))
                .contains("step review approved by " + aliceName + ": ship it", "step review waits for approval"));
    }

    @Test
    void aRejectionWithKubectlAnnotateFailsTheRunAndARetryAsksAgainUnderKeysOfItsOwn() {
        ns.startRun("g2", "blog", "{topic: eels}");
        ns.awaitPhase("g2", RunPhase.WaitingForApproval);
        Command.Result rejected = Transcripts.keep(Command.run(List.of("sh", "-c", "kubectl annotate arkrun g2"
                + " reject.arkonis.dev/review=\"$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}')\""
                + " comment.arkonis.dev/review='needs sources'"), as(aliceConfig), Duration.ofSeconds(60)));
        assertThat(rejected.exitCode()).as(rejected.transcript()).isZero();
        RunStatus failed = ns.awaitPhase("g2", RunPhase.Failed);
        assertThat(failed.reason()).isEqualTo("ApprovalRejected");
        assertThat(failed.message()).isEqualTo("step review was rejected by " + aliceName + ": needs sources");
        eventually().untilAsserted(() -> assertThat(ns.eventReasons("g2")).contains("RunFailed"));
        assertThat(ns.story("g2")).contains("step review rejected by " + aliceName + ": needs sources");

        arkAs(aliceConfig, "retry", "blog", "--run", "g2").assertSuccess();
        eventually().untilAsserted(() -> {
            StepStatus again = step(ns.run("g2").getStatus(), "review");
            assertThat(again.phase()).isEqualTo(StepPhase.WaitingForApproval);
            assertThat(again.attempts()).isEqualTo(2);
        });
        assertThat(arkAs(aliceConfig, "status", "g2").assertSuccess().stdout()).contains("approve.arkonis.dev/review.2");

        // the dashboard's button, as the signed-in person: the same write with their own client
        ArkRun run = alice.resources(ArkRun.class).inNamespace(ns.name).withName("g2").get();
        String done = RunActions.named("approve").orElseThrow().perform(alice, run, "review", Map.of("comment", "sources added"));
        assertThat(done).isEqualTo("Step review approved as " + aliceName + ".");
        RunStatus succeeded = ns.awaitPhase("g2", RunPhase.Succeeded);
        assertThat(step(succeeded, "review").approval().decidedBy()).isEqualTo(aliceName);
        assertThat(step(succeeded, "review").output()).isEqualTo("sources added");
        assertThat(ns.run("g2").getMetadata().getAnnotations()).as("the first decision stays, as it was made")
                .containsEntry("reject.arkonis.dev/review", aliceName)
                .containsEntry("approve.arkonis.dev/review.2", aliceName);
    }

    @Test
    void suspendResumeAndCancelAreWritesOfTheSpecAndACancelTakesTheQueuedTaskBack() {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: held}
                spec:
                  roles:
                    - {name: worker, model: m, provider: mock}
                    - {name: absent, model: m, provider: mock, replicas: 0}
                  pipeline:
                    - {name: first, role: worker, inputs: {prompt: first}}
                    - {name: second, role: worker, dependsOn: [first], inputs: {prompt: second}}
                    - {name: stuck, role: absent, inputs: {prompt: stuck}}
                    - {name: after, role: worker, dependsOn: [stuck], inputs: {prompt: after}}
                """).assertSuccess();

        // created suspended: it starts, and no step does until it is resumed
        createRun("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: s1}
                spec: {teamRef: {name: held}, suspend: true}
                """);
        RunStatus suspended = eventually().until(() -> ns.run("s1").getStatus(), s -> s != null && s.suspendedAt() != null);
        assertThat(suspended.steps()).allSatisfy(s -> assertThat(s.phase()).isEqualTo(StepPhase.Pending));
        arkAs(bobConfig, "resume", "s1").assertSuccess();
        eventually().untilAsserted(() -> assertThat(step(ns.run("s1").getStatus(), "second").phase())
                .isEqualTo(StepPhase.Succeeded));
        assertThat(ns.run("s1").getStatus().suspendedAt()).isNull();
        String key = ns.name + ".held.absent";
        try (QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            eventually().untilAsserted(() -> assertThat(queue.redis().xlen(key)).as("stuck's task waits for an agent")
                    .isEqualTo(1));
            arkAs(bobConfig, "suspend", "s1").assertSuccess();
            eventually().until(() -> ns.run("s1").getStatus().suspendedAt() != null);

            Command.Result cancelled = arkAs(bobConfig, "cancel", "s1");
            assertThat(cancelled.stdout()).as(cancelled.transcript()).contains("cancelling run s1");
            RunStatus ended = ns.awaitPhase("s1", RunPhase.Cancelled);
            assertThat(queue.redis().xlen(key)).as("the queued task was taken back").isZero();
            assertThat(step(ended, "stuck").phase()).isEqualTo(StepPhase.Cancelled);
            assertThat(step(ended, "stuck").message()).isEqualTo("cancelled before an agent took its task");
            assertThat(step(ended, "after").phase()).isEqualTo(StepPhase.Cancelled);
            assertThat(step(ended, "second").output()).as("what was done is kept").startsWith("mock answer to: second");
            assertThat(ended.cancelledAt()).isNotBlank();
        }
        eventually().untilAsserted(() -> assertThat(ns.eventReasons("s1"))
                .contains("RunSuspended", "RunResumed", "CancelRequested", "RunCancelled"));
        assertThat(ns.story("s1")).contains("step stuck cancelled before an agent took its task");
        Command.Result undo = ns.kubectl("patch", "arkrun", "s1", "--type=merge", "-p", "{\"spec\":{\"cancel\":false}}");
        assertThat(undo.exitCode()).isNotZero();
        assertThat(undo.stderr()).contains("a cancelled run stays cancelled");
        Command.Result again = arkAs(bobConfig, "cancel", "s1");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("run s1 already ended (Cancelled)");
        assertThat(ns.run("s1")).as("the run and its history stay").isNotNull();
    }

    @Test
    void arkRetryFromAStepStartsANewRunThatReusesWhatCameBeforeAndRunsTheRestWithTheNewInput() {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: pair}
                spec:
                  inputs: [{name: topic, required: true}, {name: tone, default: plain}]
                  roles: [{name: researcher, model: m, provider: mock}, {name: writer, model: m, provider: mock}]
                  pipeline:
                    - {role: researcher, inputs: {prompt: "Research {{ .input.topic }}"}}
                    - role: writer
                      dependsOn: [researcher]
                      inputs: {prompt: "Write in a {{ .input.tone }} tone from {{ .steps.researcher.output }}"}
                """).assertSuccess();
        ns.startRun("p1", "pair", "{topic: redis}");
        RunStatus first = ns.awaitPhase("p1", RunPhase.Succeeded);

        Command.Result retried = arkAs(aliceConfig, "retry", "p1", "--from", "writer", "--input", "tone=warm");
        Matcher created = Pattern.compile("(pair-[a-z0-9]+)").matcher(retried.assertSuccess().stdout());
        assertThat(created.find()).as(retried.transcript()).isTrue();
        String second = created.group(1);
        assertThat(ns.run(second).getSpec().resumeFrom().run()).isEqualTo("p1");
        RunStatus done = ns.awaitPhase(second, RunPhase.Succeeded);
        StepStatus researcher = step(done, "researcher");
        assertThat(researcher.reused()).isTrue();
        assertThat(researcher.sourceRun()).isEqualTo("p1");
        assertThat(researcher.tokenUsage().totalTokens()).isZero();
        assertThat(researcher.output()).isEqualTo(step(first, "researcher").output());
        assertThat(step(done, "writer").output()).contains("Write in a warm tone from mock answer to: Research redis");
        assertThat(done.totalTokenUsage().totalTokens()).isEqualTo(step(done, "writer").tokenUsage().totalTokens());

        Command.Result moved = ns.kubectl("patch", "arkrun", second, "--type=merge", "-p",
                "{\"spec\":{\"resumeFrom\":{\"run\":\"p1\",\"step\":\"researcher\"}}}");
        assertThat(moved.exitCode()).isNotZero();
        assertThat(moved.stderr()).contains("resumeFrom is set when the run is created and never changes");
        createRun("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: p3}
                spec: {teamRef: {name: pair}, input: {topic: x}, resumeFrom: {run: nowhere, step: writer}}
                """);
        RunStatus refused = ns.awaitPhase("p3", RunPhase.Failed);
        assertThat(refused.message()).isEqualTo("spec.resumeFrom.run: run \"nowhere\" not found in namespace " + ns.name);
        eventually().untilAsserted(() -> assertThat(ns.eventReasons("p3")).contains("RunInvalidResume"));
    }

    @Test
    void aCachedStepCostsNeitherTheRunNorItsAgentsBudgetAnything() {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: memo}
                spec:
                  cache: {maxAge: 1h}
                  roles: [{name: writer, model: m, provider: mock}]
                  pipeline:
                    - {role: writer, inputs: {prompt: "Summarize the release notes"}}
                """).assertSuccess();
        ns.startRun("m1", "memo", "{}");
        long paid = ns.awaitPhase("m1", RunPhase.Succeeded).totalTokenUsage().totalTokens();
        assertThat(paid).isPositive();
        eventually().untilAsserted(() -> assertThat(ns.agent("memo-writer").getStatus().dailyTokenUsage().totalTokens())
                .isEqualTo(paid));
        try (QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            assertThat(queue.redis().keys(ns.name + ".memo.writer.cache.*")).as("kept under the role's own keys").hasSize(1);
        }

        ns.startRun("m2", "memo", "{}");
        RunStatus cached = ns.awaitPhase("m2", RunPhase.Succeeded);
        StepStatus writer = step(cached, "writer");
        assertThat(writer.cached()).isTrue();
        assertThat(writer.sourceRun()).isEqualTo("m1");
        assertThat(writer.tokenUsage().totalTokens()).isZero();
        assertThat(cached.totalTokenUsage().totalTokens()).isZero();
        assertThat(cached.output()).isEqualTo(ns.run("m1").getStatus().output());
        assertThat(ns.agent("memo-writer").getStatus().dailyTokenUsage().totalTokens())
                .as("the agent's budget counts only tokens spent").isEqualTo(paid);
    }

    @Test
    void anArkNotifyLinkDecidesTheStepAsItsChannelAndIsKeptNowhereElse() throws Exception {
        try (Receiver receiver = new Receiver()) {
            cluster.admin.secrets().inNamespace(ns.name).resource(new SecretBuilder().withNewMetadata()
                    .withName("approvers-hook").endMetadata().addToStringData("url", receiver.url("/hook")).build()).create();
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkNotify
                    metadata: {name: approvers}
                    spec:
                      channel: {type: webhook, webhook: {urlSecretRef: {name: approvers-hook, key: url}}}
                      events: [{type: ApprovalRequested}]
                    """).assertSuccess();
            ns.apply(GATED.replace("name: blog}", "name: linked}").replace("spec:\n", "spec:\n  notifyRef: {name: approvers}\n"))
                    .assertSuccess();
            ns.startRun("l1", "linked", "{topic: moles}");
            ns.awaitPhase("l1", RunPhase.WaitingForApproval);
            JsonNode sent = eventually().until(() -> receiver.bodies().stream()
                    .filter(b -> "ApprovalRequested".equals(b.path("event").asText())).findFirst(), b -> b.isPresent()).get();
            String message = sent.path("message").asText();
            assertThat(message).contains("waits for approval: Publish this post about moles?");
            Matcher link = Pattern.compile("approve or reject: (\\S+)(/approvals/\\S+)").matcher(message);
            assertThat(link.find()).as(message).isTrue();
            assertThat(link.group(1)).isEqualTo("http://ark-operator-triggers.ark-system.svc:8092");
            String at = new OperatorWebhook(cluster).base() + link.group(2);

            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(at)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Publish this post about moles?", "value=\"approve\"");
            HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(at + "x"))
                    .POST(HttpRequest.BodyPublishers.ofString("decision=approve")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(step(ns.run("l1").getStatus(), "review").phase()).isEqualTo(StepPhase.WaitingForApproval);

            HttpResponse<String> decided = HTTP.send(HttpRequest.newBuilder(URI.create(at))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("decision=reject&comment=not+today")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            RunStatus failed = ns.awaitPhase("l1", RunPhase.Failed);
            assertThat(step(failed, "review").approval().decidedBy()).isEqualTo("link:approvers");
            assertThat(failed.message()).isEqualTo("step review was rejected by link:approvers: not today");

            String token = link.group(2).substring("/approvals/".length());
            ArkNotify notify = cluster.admin.resources(ArkNotify.class).inNamespace(ns.name).withName("approvers").get();
            assertThat(notify.getStatus().lastDelivery().message()).contains("<approval link>").doesNotContain(token);
            assertThat(ns.events("l1")).noneMatch(e -> e.contains(token));
            assertThat(cluster.kube.kubectl("get", "events", "-A", "-o", "json").stdout()).doesNotContain(token);
        }
    }
}
