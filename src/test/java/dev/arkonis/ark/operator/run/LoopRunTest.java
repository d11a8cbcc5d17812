package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A loop step in a cluster: mock API server, real Redis, agents started from their Deployments. */
class LoopRunTest {
    private static final String NS = "team-ns";

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

    @Test
    void aLoopStepIteratesThroughTheQueueAndKeepsEveryIterationsOutput() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: refiners, namespace: team-ns}
                spec:
                  roles: [{name: editor, model: m, provider: mock}, {name: publisher, model: m, provider: mock}]
                  pipeline:
                    - name: refine
                      role: editor
                      inputs:
                        prompt: "{{ if .steps.refine.iteration }}Improve {{ .steps.refine.output }}{{ else }}Write{{ end }}"
                      loop: {condition: "{{ lt .steps.refine.iteration 3 }}"}
                    - role: publisher
                      dependsOn: [refine]
                      inputs: {prompt: "Publish {{ .steps.refine.output }}"}
                """, ArkTeam.class);
        agents.start(NS, "refiners-editor");
        agents.start(NS, "refiners-publisher");
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: l1, namespace: team-ns}
                spec: {teamRef: {name: refiners}}
                """, ArkRun.class);
        eventually().until(() -> run("l1").getStatus() != null && run("l1").getStatus().phase() == RunPhase.Succeeded);
        RunStatus status = run("l1").getStatus();
        StepStatus refine = status.steps().get(0);
        assertThat(refine.iterations()).isEqualTo(3);
        assertThat(refine.attempts()).isEqualTo(3);
        assertThat(refine.taskID()).isEqualTo("l1/refine/3");
        assertThat(refine.output()).isEqualTo("mock answer to: Improve mock answer to: Improve mock answer to: Write");
        assertThat(refine.message()).isEqualTo("loop ended after 3 iteration(s): the condition is false");
        assertThat(status.steps().get(1).iterations()).as("only loop steps count iterations").isNull();
        assertThat(status.steps().get(1).output()).startsWith("mock answer to: Publish mock answer to: Improve");
        assertThat(redis.redis().xlen("team-ns.refiners.editor.results")).as("one task per iteration").isEqualTo(3);
        long stepTokens = status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum();
        assertThat(status.totalTokenUsage().totalTokens()).isEqualTo(stepTokens);
        // earlier iterations' outputs are kept whole where cut outputs are
        assertThat(redis.redis().get(OutputStore.iterationKey("team-ns.refiners.editor", "l1", "refine", 1)))
                .isEqualTo("mock answer to: Write");
        assertThat(redis.redis().get(OutputStore.iterationKey("team-ns.refiners.editor", "l1", "refine", 2)))
                .isEqualTo("mock answer to: Improve mock answer to: Write");
    }

    private ArkRun run(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }
}
