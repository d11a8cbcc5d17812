package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.agent.AgentRuntime;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole loop as it runs in a cluster: mock API server, real Redis, agents started from their Deployments. */
class RunLoopTest {
    private static final String NS = "team-ns";

    private RedisFixture redis;
    private MockCluster cluster;
    private PodAgents agents;
    private RedisConnections connections;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(operatorEnv("operator-0"), connections);
        agents = new PodAgents(cluster.client);
    }

    private Map<String, String> operatorEnv(String pod, String... extra) {
        Map<String, String> env = MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", pod);
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    private static final String LINEAR = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: writers, namespace: team-ns}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: researcher, model: m, provider: mock}
                - {name: writer, model: m, provider: mock}
              pipeline:
                - role: researcher
                  inputs: {prompt: "Research {{ .input.topic }}"}
                - role: writer
                  dependsOn: [researcher]
                  inputs: {prompt: "Write from {{ .steps.researcher.output }}"}
              output: "final: {{ .steps.writer.output }}"
            """;

    private ArkRun run(String name, String team, String inputJson) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: team-ns}
                spec:
                  teamRef: {name: %s}
                  input: %s
                """.formatted(name, team, inputJson), ArkRun.class);
    }

    private ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private RunStatus awaitPhase(String name, RunPhase phase) {
        try {
            eventually().until(() -> get(name).getStatus().phase() == phase);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + name + " never reached " + phase + "; status: " + get(name).getStatus(), e);
        }
        return get(name).getStatus();
    }

    private static Map<String, StepStatus> steps(RunStatus status) {
        return status.steps().stream().collect(Collectors.toMap(StepStatus::name, s -> s));
    }

    @Test
    void aLinearTeamRunsToSucceededThroughAgentPods() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        agents.start(NS, "writers-researcher");
        agents.start(NS, "writers-writer");
        run("r1", "writers", "{topic: redis}");

        RunStatus status = awaitPhase("r1", RunPhase.Succeeded);
        assertThat(get("r1").getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "writers");
        Map<String, StepStatus> steps = steps(status);
        assertThat(steps.get("researcher").output()).isEqualTo("mock answer to: Research redis");
        assertThat(steps.get("writer").output()).startsWith("mock answer to: Write from mock answer to: Research redis");
        assertThat(status.output()).isEqualTo("final: " + steps.get("writer").output());
        assertThat(steps.get("writer").taskID()).isEqualTo("r1/writer/1");
        assertThat(status.stepsDone()).isEqualTo("2/2");
        long stepTokens = status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum();
        assertThat(status.totalTokenUsage().totalTokens()).isEqualTo(stepTokens).isPositive();
        assertThat(status.conditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Succeeded");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        eventually().untilAsserted(() -> assertThat(story("r1")).contains("run of team writers started with 2 step(s)",
                "step researcher started", "step researcher succeeded", "step writer started", "step writer succeeded",
                "run succeeded"));
        assertThat(eventReasons("r1")).as("the last tells the run's end").last().isEqualTo("RunSucceeded");
        assertThat(redis.redis().xlen("team-ns.writers.researcher.results")).isEqualTo(1);
    }

    @Test
    void aDiamondRunsItsBranchesInParallelAndJoins() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: diamond, namespace: team-ns}
                spec:
                  roles: [{name: a, model: m, provider: mock}]
                  pipeline:
                    - {name: plan, role: a, inputs: {prompt: plan}}
                    - {name: left, role: a, dependsOn: [plan], inputs: {prompt: "left of {{ .steps.plan.output }}"}}
                    - {name: right, role: a, dependsOn: [plan], inputs: {prompt: "right of {{ .steps.plan.output }}"}}
                    - name: join
                      role: a
                      dependsOn: [left, right]
                      inputs: {prompt: "{{ .steps.left.output }} + {{ .steps.right.output }}"}
                """, ArkTeam.class);
        agents.start(NS, "diamond-a");
        run("d1", "diamond", "{}");
        RunStatus status = awaitPhase("d1", RunPhase.Succeeded);
        assertThat(steps(status).get("left").output()).isEqualTo("mock answer to: left of mock answer to: plan");
        assertThat(steps(status).get("right").output()).isEqualTo("mock answer to: right of mock answer to: plan");
        assertThat(steps(status).get("join").output()).startsWith("mock answer to: mock answer to: left of");
        assertThat(status.output()).isEqualTo(steps(status).get("join").output());
    }

    @Test
    void aFailingStepFailsTheRunAndSkipsItsDescendantsThenTheRetryAnnotationResumesIt() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: flaky, namespace: team-ns}
                spec:
                  roles:
                    - {name: steady, model: m, provider: mock}
                    - {name: absent, model: m, provider: mock}
                  pipeline:
                    - {name: fine, role: steady, inputs: {prompt: fine}}
                    - {name: stuck, role: absent, timeoutSeconds: 1, inputs: {prompt: stuck}}
                    - {name: after, role: steady, dependsOn: [stuck], inputs: {prompt: "{{ .steps.stuck.output }}"}}
                """, ArkTeam.class);
        agents.start(NS, "flaky-steady");
        run("f1", "flaky", "{}");
        RunStatus failed = awaitPhase("f1", RunPhase.Failed);
        Map<String, StepStatus> steps = steps(failed);
        assertThat(steps.get("fine").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(steps.get("stuck").phase()).isEqualTo(StepPhase.Failed);
        assertThat(steps.get("stuck").message()).isEqualTo("timed out after 1s");
        assertThat(steps.get("after").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(steps.get("after").message()).isEqualTo("skipped: depends on failed step stuck");
        assertThat(failed.failedStep()).isEqualTo("stuck");
        assertThat(failed.message()).isEqualTo("step stuck failed: timed out after 1s");

        // the missing agent arrives; kubectl annotate arkrun f1 arkonis.dev/retry=1
        agents.start(NS, "flaky-absent");
        cluster.edit(ArkRun.class, NS, "f1", r -> {
                    r.getMetadata().getAnnotations().put(Ark.ANNOTATION_RETRY, "1");
                    return r;
                });
        RunStatus retried = awaitPhase("f1", RunPhase.Succeeded);
        assertThat(steps(retried).get("stuck").attempts()).isEqualTo(2);
        assertThat(steps(retried).get("stuck").taskID()).isEqualTo("f1/stuck/2");
        assertThat(steps(retried).get("fine").attempts()).as("succeeded steps are kept").isEqualTo(1);
        assertThat(retried.observedRetry()).isEqualTo("1");
        assertThat(eventReasons("f1")).contains("RunFailed", "RetryRequested");
        assertThat(story("f1")).contains("step stuck failed");
    }

    @Test
    void aRunOfAMissingTeamFailsWithAMessageNamingIt() {
        run("m1", "nobody", "{}");
        RunStatus status = awaitPhase("m1", RunPhase.Failed);
        assertThat(status.message()).isEqualTo("team \"nobody\" not found in namespace team-ns");
        assertThat(status.reason()).isEqualTo("TeamNotFound");
    }

    @Test
    void aMissingRequiredInputFailsTheRunAndSendsNothing() {
        cluster.create(LINEAR, ArkTeam.class);
        run("i1", "writers", "{}");
        RunStatus status = awaitPhase("i1", RunPhase.Failed);
        assertThat(status.message()).isEqualTo("input \"topic\" is required");
        assertThat(status.reason()).isEqualTo("InvalidInput");
        assertThat(redis.redis().exists("team-ns.writers.researcher")).isZero();
    }

    @Test
    void anInvalidTeamFailsTheRunWithTheFieldPaths() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: broken, namespace: team-ns}
                spec:
                  roles: [{name: r, model: m, provider: mock}]
                  pipeline:
                    - {name: a, role: r, dependsOn: [b]}
                    - {name: b, role: r, dependsOn: [a]}
                """, ArkTeam.class);
        run("b1", "broken", "{}");
        RunStatus status = awaitPhase("b1", RunPhase.Failed);
        assertThat(status.reason()).isEqualTo("InvalidTeam");
        assertThat(status.message()).contains("spec.pipeline[0].dependsOn: dependency cycle a -> b -> a");
        assertThat(redis.redis().exists("team-ns.broken.r")).isZero();
    }

    @Test
    void theRunTimesOut() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: slow, namespace: team-ns}
                spec:
                  timeoutSeconds: 1
                  roles: [{name: nobody-home, model: m, provider: mock}]
                  pipeline: [{role: nobody-home, inputs: {prompt: hello}}]
                """, ArkTeam.class);
        run("t1", "slow", "{}");
        RunStatus status = awaitPhase("t1", RunPhase.TimedOut);
        assertThat(status.message()).isEqualTo("run timed out after 1s");
        assertThat(steps(status).get("nobody-home").message()).isEqualTo("abandoned: the run timed out");
        eventually().untilAsserted(() -> assertThat(redis.redis().xlen("team-ns.slow.nobody-home"))
                .as("the abandoned task is withdrawn, so no agent spends tokens on it later").isZero());
    }

    @Test
    void aRunKeepsTheTeamItStartedWith() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        run("e1", "writers", "{topic: cats}");
        eventually().until(() -> get("e1").getStatus() != null && get("e1").getStatus().phase() == RunPhase.Running);
        // the writer's step has not been dispatched yet when its prompt changes in the team
        ArkTeam edited = cluster.parse(LINEAR.replace("Write from {{ .steps.researcher.output }}",
                "Something else entirely"), ArkTeam.class);
        cluster.edit(ArkTeam.class, NS, "writers", t -> {
            t.setSpec(edited.getSpec());
            return t;
        });
        agents.start(NS, "writers-researcher");
        agents.start(NS, "writers-writer");
        RunStatus status = awaitPhase("e1", RunPhase.Succeeded);
        assertThat(steps(status).get("writer").output()).isEqualTo("mock answer to: Write from mock answer to: Research cats");

        run("e2", "writers", "{topic: cats}");
        assertThat(steps(awaitPhase("e2", RunPhase.Succeeded)).get("writer").output())
                .as("later runs use the edited team").isEqualTo("mock answer to: Something else entirely");
    }

    @Test
    void anOperatorRestartedMidRunFinishesItWithoutSendingOrCountingAnythingTwice() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        AgentRuntime researcher = agents.start(NS, "writers-researcher");
        run("k1", "writers", "{topic: restarts}");
        eventually().until(() -> get("k1").getStatus() != null
                && steps(get("k1").getStatus()).get("writer").phase() == StepPhase.Running);
        // the operator dies while the writer's task waits for an agent
        cluster.operator.stop();
        RedisConnections second = RedisConnections.open(redis.url());
        dev.arkonis.ark.operator.ArkOperator restarted = cluster.operator(operatorEnv("operator-1"),
                operator -> operator.withRedis(second));
        try {
            restarted.start();
            agents.start(NS, "writers-writer");
            RunStatus status = awaitPhase("k1", RunPhase.Succeeded);
            assertThat(status.steps()).allSatisfy(s -> assertThat(s.attempts()).isEqualTo(1));
            long stepTokens = status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum();
            assertThat(status.totalTokenUsage().totalTokens()).isEqualTo(stepTokens);
            assertThat(redis.redis().xlen("team-ns.writers.writer.results")).as("the writer ran once").isEqualTo(1);
            assertThat(redis.redis().xlen("team-ns.writers.researcher.results")).isEqualTo(1);
        } finally {
            restarted.stop();
            second.close();
        }
        assertThat(researcher.isRunning()).isTrue();
    }

    @Test
    void aResultTheOldOperatorReadButNeverAcknowledgedIsAppliedOnceByItsSuccessor() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        agents.start(NS, "writers-researcher");
        run("h1", "writers", "{topic: failover}");
        eventually().until(() -> get("h1").getStatus() != null
                && steps(get("h1").getStatus()).get("writer").phase() == StepPhase.Running);
        cluster.operator.stop();
        // the writer answers; the old operator reads the result and dies before its status holds it
        agents.start(NS, "writers-writer");
        String results = "team-ns.writers.writer.results";
        eventually().until(() -> redis.redis().xlen(results) == 1);
        assertThat(redis.redis().xreadgroup(io.lettuce.core.Consumer.from("ark-operator", "operator-0"),
                io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(results))).hasSize(1);

        RedisConnections second = RedisConnections.open(redis.url());
        // the successor knows its predecessor is gone (it leads now): it takes the result over at once, long before
        // the idle time after which a result left by a consumer it knows nothing of is claimed
        dev.arkonis.ark.operator.ArkOperator successor = cluster.operator(
                operatorEnv("operator-1", "RESULT_CLAIM_IDLE_SECONDS", "600"), operator -> operator.withRedis(second));
        try {
            successor.start();
            RunStatus status = awaitPhase("h1", RunPhase.Succeeded);
            assertThat(status.steps()).allSatisfy(s -> assertThat(s.attempts()).isEqualTo(1));
            assertThat(status.totalTokenUsage().totalTokens())
                    .isEqualTo(status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum());
            assertThat(redis.redis().xlen(results)).as("the writer ran once").isEqualTo(1);
            eventually().until(() -> redis.redis().xpending(results, "ark-operator").getCount() == 0);
        } finally {
            successor.stop();
            second.close();
        }
    }

    @Test
    void resultsAnOperatorAppliedButNeverAcknowledgedBeforeItDiedAreAcknowledgedByItsSuccessor() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        agents.start(NS, "writers-researcher");
        agents.start(NS, "writers-writer");
        run("p1", "writers", "{topic: crashes}");
        awaitPhase("p1", RunPhase.Succeeded);
        cluster.operator.stop();
        // the operator had read both results and its status holds them, but it died before acknowledging them
        List<String> streams = List.of("team-ns.writers.researcher.results", "team-ns.writers.writer.results");
        for (String stream : streams) {
            redis.redis().xgroupSetid(io.lettuce.core.XReadArgs.StreamOffset.from(stream, "0"), "ark-operator");
            assertThat(redis.redis().xreadgroup(io.lettuce.core.Consumer.from("ark-operator", "operator-0"),
                    io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(stream))).hasSize(1);
        }
        String version = get("p1").getMetadata().getResourceVersion();

        // no task goes to these streams again: nothing but the takeover makes the successor look at them
        RedisConnections second = RedisConnections.open(redis.url());
        dev.arkonis.ark.operator.ArkOperator successor = cluster.operator(
                operatorEnv("operator-1", "RESULT_CLAIM_IDLE_SECONDS", "600"), operator -> operator.withRedis(second));
        try {
            successor.start();
            for (String stream : streams) {
                eventually().untilAsserted(() -> assertThat(redis.redis().xpending(stream, "ark-operator").getCount())
                        .as("pending in the operator's group on " + stream).isZero());
            }
            assertThat(get("p1").getMetadata().getResourceVersion()).as("results it already holds change nothing")
                    .isEqualTo(version);
        } finally {
            successor.stop();
            second.close();
        }
    }

    @Test
    void afterRedisComesBackEmptyARunInFlightSendsItsLostTaskAgainAndNewRunsWork() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        agents.start(NS, "writers-researcher");
        run("z1", "writers", "{topic: amnesia}");
        eventually().until(() -> get("z1").getStatus() != null
                && steps(get("z1").getStatus()).get("writer").phase() == StepPhase.Running);

        redis.restart(); // no persistence: streams, groups, sent markers and ledgers are gone
        agents.start(NS, "writers-writer");

        RunStatus status = awaitPhase("z1", RunPhase.Succeeded);
        assertThat(steps(status).get("writer").output()).isEqualTo("mock answer to: Write from mock answer to: Research amnesia");
        eventually().untilAsserted(() -> assertThat(eventReasons("z1")).contains("TasksResent"));
        run("z2", "writers", "{topic: fresh}");
        assertThat(awaitPhase("z2", RunPhase.Succeeded).output()).startsWith("final: mock answer to: Write from");
    }

    @Test
    void aStepWhoseAgentDiesMidTaskStillCompletes() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: solo, namespace: team-ns}
                spec:
                  roles: [{name: worker, model: m, provider: mock}]
                  pipeline: [{role: worker, inputs: {prompt: work}}]
                """, ArkTeam.class);
        AgentRuntime doomed = agents.start(NS, "solo-worker", Map.of("AGENT_MOCK_LATENCY_MS", "60000"));
        run("c1", "solo", "{}");
        eventually().until(() -> doomed.inFlightCount() == 1);
        doomed.abort();
        agents.start(NS, "solo-worker");
        RunStatus status = awaitPhase("c1", RunPhase.Succeeded);
        assertThat(steps(status).get("worker").output()).isEqualTo("mock answer to: work");
    }

    @Test
    void anOutputOverTheStatusLimitIsCutInStatusAndKeptWholeForLaterSteps() throws Exception {
        cluster.close();
        cluster = MockCluster.withRuns(operatorEnv("operator-0"), connections,
                new RunSettings(20, java.time.Duration.ofHours(1)));
        agents = new PodAgents(cluster.client);
        cluster.create(LINEAR, ArkTeam.class);
        agents.start(NS, "writers-researcher");
        agents.start(NS, "writers-writer");
        run("o1", "writers", "{topic: a topic long enough to be cut}");
        RunStatus status = awaitPhase("o1", RunPhase.Succeeded);
        StepStatus research = steps(status).get("researcher");
        assertThat(research.output()).hasSize(20);
        assertThat(research.outputTruncated()).isTrue();
        assertThat(redis.redis().get("team-ns.writers.researcher.outputs.o1.researcher"))
                .isEqualTo("mock answer to: Research a topic long enough to be cut");
        assertThat(redis.redis().get("team-ns.writers.writer.outputs.o1.writer")).as("the writer read the whole text")
                .isEqualTo("mock answer to: Write from mock answer to: Research a topic long enough to b");
    }

    @Test
    void aRunWhoseOutputsAddUpToMoreThanTheApiServerTakesFinishesWithinTheStatusBudget() throws Exception {
        int stepCount = 48;
        StringBuilder team = new StringBuilder("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: wide, namespace: team-ns}
                spec:
                  roles: [{name: w, model: m, provider: mock, limits: {maxConcurrentTasks: 16}}]
                  pipeline:
                """);
        for (int i = 0; i < stepCount; i++) {
            // the mock answers a 40 KiB string to a schema that asks for one
            team.append("    - {name: s").append(i).append(", role: w, inputs: {prompt: \"part ").append(i)
                    .append("\"}, outputSchema: '{\"type\": \"string\", \"minLength\": 40960}'}\n");
        }
        cluster.create(team.toString(), ArkTeam.class);
        agents.start(NS, "wide-w");
        run("big", "wide", "{}");
        RunStatus status = awaitPhase("big", RunPhase.Succeeded);
        Map<String, String> answers = redis.redis().xrange("team-ns.wide.w.results", io.lettuce.core.Range.create("-", "+"))
                .stream().collect(Collectors.toMap(m -> m.getBody().get("step"), m -> m.getBody().get("output")));

        // 48 outputs of 40 KiB are 1.9 MiB, more than an object may hold: the status keeps 512 KiB of them in all
        long kept = status.steps().stream().mapToLong(s -> s.output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .sum() + status.output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(answers.values()).allSatisfy(a -> assertThat(a.length()).isGreaterThan(40960));
        assertThat(kept).isLessThanOrEqualTo(RunSettings.DEFAULT_STATUS_OUTPUT_BUDGET);
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(get("big")).length())
                .isLessThan(RunSettings.DEFAULT_STATUS_OUTPUT_BUDGET + 128 * 1024);
        assertThat(status.steps()).allSatisfy(s -> {
            assertThat(s.outputTruncated()).as("the status says which outputs were cut").isTrue();
            assertThat(answers.get(s.name())).startsWith(s.output());
            assertThat(redis.redis().get("team-ns.wide.w.outputs.big." + s.name())).isEqualTo(answers.get(s.name()));
        });
        assertThat(status.outputTruncated()).isTrue();
        assertThat(redis.redis().get("team-ns.wide.outputs.big")).isEqualTo(answers.get("s47"));

        // ark status fetches what was cut
        String shown = dev.arkonis.ark.cli.StatusCommandProbe.show(cluster, NS, "big", Map.of("TASK_QUEUE_URL", redis.url()));
        assertThat(shown).contains("--- s3 output ---\n" + answers.get("s3") + "\n")
                .contains("--- run output ---\n" + answers.get("s47"));
    }

    @Test
    void deletingARunningRunWithdrawsItsQueuedTasks() throws Exception {
        cluster.create(LINEAR, ArkTeam.class);
        run("x1", "writers", "{topic: gone}");
        eventually().until(() -> redis.redis().xlen("team-ns.writers.researcher") == 1);
        Map<String, String> task = redis.redis().xrange("team-ns.writers.researcher", io.lettuce.core.Range.create("-", "+"))
                .get(0).getBody();
        assertThat(task).containsEntry("task", "x1/researcher/1").containsEntry("run", "x1")
                .containsEntry("namespace", NS).containsEntry("step", "researcher").containsEntry("attempt", "1")
                .containsEntry("replyTo", "team-ns.writers.researcher.results")
                .containsEntry("prompt", "Research gone").containsKey("deadline");
        assertThat(task.get("traceparent")).as("trace context travels inside every task")
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        cluster.client.resources(ArkRun.class).inNamespace(NS).withName("x1").delete();
        eventually().until(() -> get("x1") == null);
        assertThat(redis.redis().xlen("team-ns.writers.researcher")).isZero();
    }

    @Test
    void secretsAppearNowhereInStatusOrEvents() throws Exception {
        cluster.client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("prompts").withNamespace(NS).endMetadata()
                .addToData("system", java.util.Base64.getEncoder().encodeToString("TOP-SECRET-PROMPT".getBytes()))
                .build()).create();
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: quiet, namespace: team-ns}
                spec:
                  roles:
                    - name: r
                      model: m
                      provider: mock
                      systemPromptRef: {secretKeyRef: {name: prompts, key: system}}
                  pipeline: [{role: r, inputs: {prompt: hello}}]
                """, ArkTeam.class);
        agents.start(NS, "quiet-r");
        run("s1", "quiet", "{}");
        awaitPhase("s1", RunPhase.Succeeded);
        String everything = io.fabric8.kubernetes.client.utils.Serialization.asJson(get("s1"))
                + cluster.client.v1().events().inNamespace(NS).list().getItems().toString();
        assertThat(everything).doesNotContain("TOP-SECRET-PROMPT");
    }

    /** The run's Event reasons, in the order their Events say things happened. */
    private List<String> eventReasons(String run) {
        return told(run).stream().map(Event::getReason).toList();
    }

    /** What the run's Events tell, in order. */
    private String story(String run) {
        return String.join("\n", told(run).stream().map(Event::getMessage).toList());
    }

    private List<Event> told(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing((Event e) -> e.getEventTime().getTime())).toList();
    }
}
