package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator's pod deleted mid-run, as a node drain or a crash would: its Deployment makes a new one, which
 * wins the Lease and finishes the run without sending or counting anything twice.
 */
@Order(30)
class OperatorRestartIT {
    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
    }

    @Test
    void aRunSurvivesTheOperatorPodBeingReplaced() {
        try (TestNamespace ns = TestNamespace.create(cluster, "restart"); QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            ns.apply(ClusterTeams.LINEAR.replace("{name: writer, model: m, provider: mock}",
                    "{name: writer, model: m, provider: mock, replicas: 0}")).assertSuccess();
            ns.startRun("k1", "writers", "{topic: restarts}");
            eventually().atMost(Duration.ofSeconds(90)).until(() -> ns.run("k1").getStatus().steps().stream()
                    .anyMatch(s -> s.name().equals("writer") && s.phase() == StepPhase.Running));

            Pod old = ark.awaitOperator();
            cluster.kube.kubectl("delete", "pod", old.getMetadata().getName(), "-n", ArkRelease.NAMESPACE).assertSuccess();
            Pod replacement = ark.awaitOperator();
            assertThat(replacement.getMetadata().getName()).isNotEqualTo(old.getMetadata().getName());

            ns.kubectl("scale", "arkagent", "writers-writer", "--replicas=1").assertSuccess();
            RunStatus status = ns.awaitPhase("k1", RunPhase.Succeeded);
            assertThat(status.steps()).allSatisfy(s -> assertThat(s.attempts()).isEqualTo(1));
            long stepTokens = status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum();
            assertThat(status.totalTokenUsage().totalTokens()).isEqualTo(stepTokens);
            assertThat(queue.redis().xlen(ns.name + ".writers.writer.results")).as("the writer ran once").isEqualTo(1);
            assertThat(queue.redis().xlen(ns.name + ".writers.researcher.results")).isEqualTo(1);
            assertThat(status.steps().stream().map(StepStatus::taskID)).containsExactly("k1/researcher/1", "k1/writer/1");
        }
    }
}
