package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.AgentAcl;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.SentinelSet;
import io.fabric8.kubernetes.api.model.Event;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis that fails over under running runs: operator and agent pods as in a cluster (mock API server, agents started
 * from their Deployments), Redis a real Sentinel set (primary, replica, three sentinels). The primary is killed while
 * the replica is frozen, so the promoted replica lacks the primary's last writes: tasks, results and the agents' ACL
 * users (which Redis never replicates). Every run must still finish, each step once, and the time it took is printed.
 */
class RunFailoverTest {
    private static final String NS = "team-ns";
    private static final int RUNS = 12;
    private static final List<String> ROLES = List.of("plan", "draft", "edit");

    private SentinelSet redis;
    private MockCluster cluster;
    private PodAgents agents;
    private RedisConnections connections;

    @BeforeEach
    void start() throws Exception {
        redis = SentinelSet.start();
        connections = RedisConnections.open(redis.endpoint());
        Map<String, String> env = MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0");
        env.putAll(redis.credentialsEnv());
        cluster = MockCluster.withRuns(env, connections);
        agents = new PodAgents(cluster.client);
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    @Test
    void aFailoverDuringRunsLosesNoRunAndNoStepRunsTwice() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: chain, namespace: team-ns}
                spec:
                  inputs: [{name: n, required: true}]
                  successfulRunsHistoryLimit: 50
                  roles:
                    - {name: plan, model: m, provider: mock}
                    - {name: draft, model: m, provider: mock}
                    - {name: edit, model: m, provider: mock}
                  pipeline:
                    - {role: plan, inputs: {prompt: "plan {{ .input.n }}"}}
                    - {role: draft, dependsOn: [plan], inputs: {prompt: "draft {{ .steps.plan.output }}"}}
                    - {role: edit, dependsOn: [draft], inputs: {prompt: "edit {{ .steps.draft.output }}"}}
                  output: "{{ .steps.edit.output }}"
                """, ArkTeam.class);
        Map<String, String> slow = Map.of("AGENT_MOCK_LATENCY_MS", "400");
        for (String role : ROLES) {
            agents.start(NS, "chain-" + role, slow);
            agents.start(NS, "chain-" + role, slow);
        }
        RedisCommands<String, String> primary = redis.node(redis.primaryPort());
        RedisCommands<String, String> replica = redis.node(redis.replicaPort());
        List<String> users = ROLES.stream().map(role -> AgentAcl.userOf(NS, "chain-" + role)).toList();
        assertThat(primary.aclUsers()).containsAll(users);
        assertThat(replica.aclUsers()).as("ACL SETUSER is not replicated").doesNotContainAnyElementsOf(users);

        IntStream.range(0, RUNS).forEach(i -> run("f" + i, "{n: \"" + i + "\"}"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> succeededSteps() >= RUNS);

        // the replica stops taking the replication stream; the primary takes tasks it will never pass on
        redis.freezeReplica(true);
        Map<String, String> sentBefore = lastTaskIds(primary);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !lastTaskIds(primary).equals(sentBefore));
        int doneAtKill = succeededSteps();
        long killedAt = System.nanoTime();
        redis.killPrimary();
        redis.freezeReplica(false);

        AtomicLong promotedAt = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> redis.primaryNamedBySentinels() == redis.replicaPort());
        promotedAt.set(System.nanoTime());
        AtomicLong firstStepAt = new AtomicLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            if (firstStepAt.get() == 0 && succeededSteps() > doneAtKill) {
                firstStepAt.set(System.nanoTime());
            }
            return IntStream.range(0, RUNS).allMatch(i -> phase("f" + i) == RunPhase.Succeeded);
        });
        long allDoneAt = System.nanoTime();

        for (int i = 0; i < RUNS; i++) {
            RunStatus status = get("f" + i).getStatus();
            assertThat(status.steps()).as("run f%d", i).extracting(StepStatus::name).containsExactlyElementsOf(ROLES);
            for (StepStatus step : status.steps()) {
                assertThat(step.phase()).as("f%d %s", i, step.name()).isEqualTo(StepPhase.Succeeded);
                assertThat(step.attempts()).as("f%d %s ran once", i, step.name()).isEqualTo(1);
            }
            assertThat(status.output()).isEqualTo(
                    "mock answer to: edit mock answer to: draft mock answer to: plan " + i);
        }
        assertThat(connections.serverChanges()).as("the promoted replica is noticed").isEqualTo(1);
        // Events are written after the runs move: wait for them
        long resent = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(
                () -> IntStream.range(0, RUNS).filter(i -> eventReasons("f" + i).contains("TasksResent")).count(),
                count -> count > 0);
        assertThat(redis.node(redis.replicaPort()).aclUsers()).as("agents' users set again on the new primary")
                .containsAll(users);
        System.out.printf("failover: sentinels promoted the replica %d ms after the primary was killed; first step"
                        + " finished %d ms after the kill; all %d runs Succeeded %d ms after it (%d recorded"
                        + " TasksResent)%n", millis(killedAt, promotedAt.get()), millis(killedAt, firstStepAt.get()),
                RUNS, millis(killedAt, allDoneAt), resent);
    }

    private static long millis(long from, long to) {
        return Duration.ofNanos(to - from).toMillis();
    }

    /** The id of the last task added to each role's stream. */
    private static Map<String, String> lastTaskIds(RedisCommands<String, String> node) {
        Map<String, String> ids = new HashMap<>();
        for (String role : ROLES) {
            List<Object> info = node.xinfoStream(NS + ".chain." + role);
            for (int i = 0; i + 1 < info.size(); i += 2) {
                if ("last-generated-id".equals(String.valueOf(info.get(i)))) {
                    ids.put(role, String.valueOf(info.get(i + 1)));
                }
            }
        }
        return ids;
    }

    private void run(String name, String inputJson) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: team-ns}
                spec:
                  teamRef: {name: chain}
                  input: %s
                """.formatted(name, inputJson), ArkRun.class);
    }

    private ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private RunPhase phase(String name) {
        RunStatus status = get(name).getStatus();
        return status == null ? null : status.phase();
    }

    private int succeededSteps() {
        Map<String, Integer> counts = new HashMap<>();
        for (ArkRun run : cluster.client.resources(ArkRun.class).inNamespace(NS).list().getItems()) {
            if (run.getStatus() != null && run.getStatus().steps() != null) {
                counts.put(run.getMetadata().getName(), (int) run.getStatus().steps().stream()
                        .filter(s -> s.phase() == StepPhase.Succeeded).count());
            }
        }
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private List<String> eventReasons(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }
}
