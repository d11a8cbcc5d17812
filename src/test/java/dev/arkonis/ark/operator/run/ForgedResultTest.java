package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.TaskResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results written where an agent may write (its own role's result stream) that name a run elsewhere: another
 * namespace's, another team's. The run they name does not change; the result is dropped.
 */
class ForgedResultTest {
    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;
    private PodAgents agents;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url()), connections);
        agents = new PodAgents(cluster.client);
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    private void team(String namespace, String name, String role, int replicas) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: %s, namespace: %s}
                spec:
                  roles: [{name: %s, model: m, provider: mock, replicas: %d}]
                  pipeline: [{role: %s, inputs: {prompt: "do it"}}]
                """.formatted(name, namespace, role, replicas, role), ArkTeam.class);
    }

    private void run(String namespace, String name, String team) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: %s}
                spec: {teamRef: {name: %s}}
                """.formatted(name, namespace, team), ArkRun.class);
    }

    private ArkRun get(String namespace, String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(namespace).withName(name).get();
    }

    /** What an agent of another role could write: a success of the victim's waiting step, in the wire's fields. */
    private static Map<String, String> forged(String namespace, String team) {
        return TaskResult.succeeded("target/clerk/1", "FORGED", 0, 0, "x", 1, Map.of("run", "target",
                "namespace", namespace, "step", "clerk", "attempt", "1", "team", team)).toFields();
    }

    @Test
    void aResultNamingAnotherNamespacesOrTeamsRunChangesNothing() throws Exception {
        // the victim's run waits on a role without pods
        team("victim", "payroll", "clerk", 0);
        run("victim", "target", "payroll");
        eventually().until(() -> get("victim", "target").getStatus() != null
                && get("victim", "target").getStatus().phase() == RunPhase.Running);
        // the attacker's team ran once, so its result stream is read; and a second team in the victim's namespace too
        team("attacker", "writers", "writer", 1);
        agents.start("attacker", "writers-writer");
        run("attacker", "own", "writers");
        team("victim", "other", "clerk", 1);
        agents.start("victim", "other-clerk");
        run("victim", "other-run", "other");
        eventually().until(() -> get("attacker", "own").getStatus().phase() == RunPhase.Succeeded
                && get("victim", "other-run").getStatus().phase() == RunPhase.Succeeded);

        String fromAnotherNamespace = redis.redis().xadd("attacker.writers.writer.results", forged("victim", "payroll"));
        String fromAnotherTeam = redis.redis().xadd("victim.other.clerk.results", forged("victim", "payroll"));
        eventually().untilAsserted(() -> {
            assertThat(consumed("attacker.writers.writer.results")).isEqualTo(fromAnotherNamespace);
            assertThat(consumed("victim.other.clerk.results")).isEqualTo(fromAnotherTeam);
        });
        ArkRun target = get("victim", "target");
        assertThat(target.getStatus().phase()).isEqualTo(RunPhase.Running);
        assertThat(target.getStatus().steps()).singleElement().satisfies(step -> {
            assertThat(step.phase()).isEqualTo(StepPhase.Running);
            assertThat(step.output()).isNull();
        });
        String metrics = cluster.operator.telemetry().metrics().scrape("text/plain").text();
        assertThat(metrics).contains("ark_results_rejected_total{namespace=\"attacker\",reason=\"namespace\"} 1.0",
                "ark_results_rejected_total{namespace=\"victim\",reason=\"team\"} 1.0");
    }

    /** The last entry the operator's group read from the stream, once nothing it read waits for an ack. */
    private String consumed(String stream) {
        for (Object group : redis.redis().xinfoGroups(stream)) {
            List<?> fields = (List<?>) group;
            Map<String, Object> info = new LinkedHashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                info.put(String.valueOf(fields.get(i)), fields.get(i + 1));
            }
            if ("ark-operator".equals(info.get("name")) && Long.valueOf(0).equals(info.get("pending"))) {
                return String.valueOf(info.get("last-delivered-id"));
            }
        }
        return null;
    }
}
