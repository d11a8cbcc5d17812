package dev.arkonis.ark.cli;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** ark trigger / status / retry against the mock API server, with the operator and agents running. */
class ClusterCommandsTest {
    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;
    private PodAgents agents;

    record Outcome(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url()), connections);
        agents = new PodAgents(cluster.client);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: pair, namespace: cli}
                spec:
                  inputs: [{name: topic, required: true}]
                  roles:
                    # the mock prices its tokens as the model would: gpt-4o-mini's are in the chart's table, m's are not
                    - {name: first, model: gpt-4o-mini, provider: mock}
                    - {name: second, model: m, provider: mock}
                  pipeline:
                    - {role: first, inputs: {prompt: "about {{ .input.topic }}"}}
                    - {role: second, dependsOn: [first], timeoutSeconds: 1, inputs: {prompt: "{{ .steps.first.output }}"}}
                """, ArkTeam.class);
        agents.start("cli", "pair-first");
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    private Outcome run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private ArkRun onlyRun() {
        return cluster.client.resources(ArkRun.class).inNamespace("cli").list().getItems().get(0);
    }

    @Test
    void statusTimelineShowsWhereTheRunsTimeWentAsTextAndJson() throws Exception {
        agents.start("cli", "pair-second");
        Outcome triggered = run(new TriggerCommand(cluster.server::createClient), "pair", "-n", "cli",
                "--input", "{\"topic\": \"otters\"}", "--watch");
        assertThat(triggered.exit()).as(triggered.err()).isZero();
        String name = onlyRun().getMetadata().getName();
        // the watch ends as ark run --watch does: the summary, then where the time went, then the output
        java.util.List<String> watched = triggered.out().lines().toList();
        int summary = watched.indexOf(watched.stream().filter(l -> l.startsWith("run " + name + " of team pair Succeeded"))
                .findFirst().orElseThrow(() -> new AssertionError("no summary in " + triggered.out())));
        assertThat(watched.get(summary + 2)).matches("STEP\\s+START 0\\s+\\S+\\s+TOOK\\s+TOKENS\\s+COST\\s+RETRIES\\s+WAIT");
        assertThat(watched.get(summary + 3)).matches("first\\s+0ms \\|[░█]+ *\\|.*\\d+ms");
        assertThat(watched.get(summary + 4)).startsWith("second ");
        assertThat(watched.subList(summary + 5, watched.size())).contains("mock answer to: mock answer to: about otters");

        Outcome text = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), name, "-n", "cli",
                "--timeline");
        assertThat(text.exit()).as(text.err()).isZero();
        java.util.List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).startsWith("run " + name + " of team pair Succeeded");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("STEP\\s+START 0\\s+\\S+\\s+TOOK\\s+TOKENS\\s+COST\\s+RETRIES\\s+WAIT"));
        String first = lines.stream().filter(l -> l.startsWith("first ")).findFirst().orElseThrow();
        String second = lines.stream().filter(l -> l.startsWith("second ")).findFirst().orElseThrow();
        // WAIT: the time the agent says the task waited in its stream
        assertThat(first).matches("first\\s+0ms \\|[░█]+ *\\|\\s+\\d+ms\\s+[1-9]\\d*\\s+\\$0\\.0\\d+\\s+0\\s+\\d+ms");
        assertThat(second).as("no price known for m").matches("second .*\\|\\s+\\d+ms\\s+[1-9]\\d*\\s+-\\s+0\\s+\\d+ms");
        // the second step starts where the first ended: its bar begins further right
        assertThat(second.indexOf('█')).isGreaterThan(first.indexOf('█'));
        assertThat(lines.subList(2, lines.size())).allSatisfy(l -> assertThat(l.length()).isLessThan(80));

        Outcome json = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), name, "-n", "cli",
                "--timeline", "-o", "json");
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(doc.path("steps")).hasSize(2);
        com.fasterxml.jackson.databind.JsonNode secondStep = doc.path("steps").get(1);
        assertThat(secondStep.path("name").asText()).isEqualTo("second");
        assertThat(secondStep.path("startOffsetMs").asLong())
                .isGreaterThanOrEqualTo(doc.path("steps").get(0).path("durationMs").asLong());
        assertThat(secondStep.path("tokens").asLong()).isPositive();
        assertThat(doc.path("steps").get(0).path("costUSD").decimalValue()).isPositive();
        assertThat(secondStep.path("costUSD").isNull()).isTrue();
        assertThat(secondStep.path("queueWaitMs").isIntegralNumber()).as(json.out()).isTrue();
        assertThat(secondStep.path("queueWaitMs").asLong()).isBetween(0L, secondStep.path("durationMs").asLong());
        assertThat(doc.path("durationMs").asLong()).isGreaterThanOrEqualTo(secondStep.path("startOffsetMs").asLong()
                + secondStep.path("durationMs").asLong());

        Outcome misuse = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli", "--timeline");
        assertThat(misuse.exit()).isEqualTo(2);
        assertThat(misuse.err()).contains("--timeline shows one run");
    }

    @Test
    void triggerWatchFollowsTheRunToItsEndThenRetryResumesIt() throws Exception {
        // no agent serves the second role yet: its step times out and the run fails
        Outcome failed = run(new TriggerCommand(cluster.server::createClient), "pair", "-n", "cli",
                "--input", "{\"topic\": \"otters\"}", "--watch");
        assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
        assertThat(failed.out()).containsPattern("arkrun pair-\\S+ created in namespace cli")
                .containsPattern("first\\s+Succeeded")
                .containsPattern("second\\s+Failed .*timed out after 1s")
                .contains("Failed", "step second failed: timed out after 1s");
        ArkRun run = onlyRun();
        assertThat(run.getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "pair");

        Outcome list = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli");
        assertThat(list.out()).containsPattern(run.getMetadata().getName() + "\\s+pair\\s+Failed\\s+2/2\\s+\\d+");

        agents.start("cli", "pair-second");
        Outcome retry = run(new RetryCommand(cluster.server::createClient), "pair", "-n", "cli");
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(retry.out()).isEqualTo("retrying run " + run.getMetadata().getName() + " (its failed and skipped steps)\n");
        eventually().until(() -> RunViews.phase(onlyRun()) == RunPhase.Succeeded);

        Outcome detail = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), run.getMetadata().getName(), "-n", "cli");
        assertThat(detail.out()).contains("Succeeded", "--- first output ---", "mock answer to: about otters")
                .containsPattern("second\\s+Succeeded");
    }

    @Test
    void statusReadsWholeOutputsFromRedisWhenTheStatusHoldsACutOne() throws Exception {
        cluster.client.resources(ArkRun.class).inNamespace("cli").resource(cluster.parse("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: cut, namespace: cli, labels: {arkonis.dev/team: pair}}
                spec: {teamRef: {name: pair}, input: {topic: x}}
                """, ArkRun.class)).create();
        eventually().until(() -> onlyRun().getStatus() != null
                && onlyRun().getStatus().steps().get(0).phase() == dev.arkonis.ark.api.StepPhase.Succeeded);
        // what the operator does with an output over its status limit
        ArkRun run = onlyRun();
        var steps = new java.util.ArrayList<>(run.getStatus().steps());
        var first = steps.get(0);
        steps.set(0, new dev.arkonis.ark.api.StepStatus(first.name(), first.role(), first.phase(), first.taskID(),
                first.attempts(), first.validationAttempts(), first.startTime(), first.completionTime(), first.deadline(),
                "mock", true, first.message(), first.tokenUsage()));
        redis.redis().set("cli.pair.first.outputs.cut.first", "the whole text of the first step");
        // a 409 means the operator wrote the status in between: read again and retry
        eventually().until(() -> {
            ArkRun edited = cluster.client.resources(ArkRun.class).inNamespace("cli").withName("cut").get();
            edited.setStatus(new dev.arkonis.ark.api.RunStatus(RunPhase.Failed, edited.getStatus().startTime(), null, null,
                    steps, "2/2", null, null, edited.getStatus().totalTokenUsage(), null, null, null, null,
                    edited.getStatus().teamSpec(), null, null));
            cluster.client.resource(edited).updateStatus();
            return true;
        });

        Outcome withRedis = run(new StatusCommand(cluster.server::createClient,
                java.util.Map.of("TASK_QUEUE_URL", redis.url())), "cut", "-n", "cli");
        assertThat(withRedis.out()).contains("--- first output ---\nthe whole text of the first step");
        Outcome without = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "cut", "-n", "cli");
        assertThat(without.out()).contains("--- first output (cut to fit the status; set TASK_QUEUE_URL to read the whole text from Redis) ---\nmock");
    }

    @Test
    void clearAnswersForWhatIsNotThere() {
        Outcome trigger = run(new TriggerCommand(cluster.server::createClient), "nobody", "-n", "cli");
        assertThat(trigger.exit()).isEqualTo(2);
        assertThat(trigger.err()).contains("team \"nobody\" not found in namespace cli");
        Outcome retry = run(new RetryCommand(cluster.server::createClient), "pair", "-n", "cli");
        assertThat(retry.exit()).isEqualTo(2);
        assertThat(retry.err()).contains("team pair has no Failed or TimedOut run in namespace cli");
        Outcome status = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli");
        assertThat(status.out()).startsWith("no runs in namespace cli\n")
                .containsPattern("pair-first\\s+0/1\\s+0\\s+0/unlimited");
        Outcome badInput = run(new TriggerCommand(cluster.server::createClient), "pair", "-n", "cli", "--input", "[1]");
        assertThat(badInput.exit()).isEqualTo(2);
    }

    @Test
    void statusSpeaksKubectl() throws Exception {
        Outcome created = run(new TriggerCommand(cluster.server::createClient), "pair", "-n", "cli", "--input", "{\"topic\": \"owls\"}");
        assertThat(created.exit()).as(created.err()).isZero();
        String name = onlyRun().getMetadata().getName();

        // follows the run to its end (the second role has no agent: its step times out) and exits as the run ended
        Outcome watched = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), name, "-n", "cli", "--watch");
        assertThat(watched.exit()).as(watched.err()).isEqualTo(1);
        assertThat(watched.out()).containsPattern("first\\s+Succeeded").contains("step second failed: timed out after 1s");

        Outcome names = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli", "-o", "name");
        assertThat(names.out()).isEqualTo("arkrun/" + name + "\narkagent/pair-first\narkagent/pair-second\n");

        // what the run cost so far: the first step's tokens at gpt-4o-mini's prices
        Outcome list = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli");
        assertThat(list.out()).containsPattern("NAME\\s+TEAM\\s+PHASE\\s+STEPS\\s+TOKENS\\s+COST\\s+AGE")
                .containsPattern(name + "\\s+pair\\s+Failed\\s+2/2\\s+\\d+\\s+\\$0\\.0\\d+\\s");
        Outcome listed = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli", "-o", "json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.out()).path("runs").get(0)
                .path("costUSD").decimalValue()).isPositive();
        // and the team's spending in the rolling window, its agents' together (the first role's ledger priced it)
        eventually().untilAsserted(() -> assertThat(run(new StatusCommand(cluster.server::createClient, java.util.Map.of()),
                "-n", "cli").out()).containsPattern("TEAM\\s+PHASE\\s+ROLES\\s+TOKENS\\(24H\\)\\s+COST\\(24H\\)")
                .containsPattern("pair\\s+\\w+\\s+2\\s+[1-9]\\d*\\s+\\$0\\.0\\d+"));
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run(new StatusCommand(
                cluster.server::createClient, java.util.Map.of()), "-n", "cli", "-o", "json").out()).path("teams").get(0)
                .path("costUSD24h").decimalValue()).isPositive();

        Outcome all = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-A");
        assertThat(all.out()).containsPattern("NAMESPACE\\s+NAME\\s+TEAM").containsPattern("cli\\s+" + name + "\\s+pair\\s+Failed");

        Outcome wide = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), "-n", "cli", "-o", "wide");
        assertThat(wide.out()).contains("FAILED STEP", "MESSAGE").containsPattern(name + ".*second\\s+step second failed");

        Outcome yaml = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), name, "-n", "cli", "-o", "yaml");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(yaml.out()).path("phase").asText()).isEqualTo("Failed");

        Outcome runOnAll = run(new StatusCommand(cluster.server::createClient, java.util.Map.of()), name, "-A");
        assertThat(runOnAll.exit()).isEqualTo(2);
    }
}
