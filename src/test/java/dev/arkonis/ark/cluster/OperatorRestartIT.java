package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator's pod deleted mid-run, as a node drain or a crash would: its Deployment makes a new one, which
 * wins the Lease and finishes the run without sending or counting anything twice, and without waiting for results
 * the old one held (the suite's RESULT_CLAIM_IDLE_SECONDS is long, so a takeover that waited for it would show).
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

    @Test
    void aResultTheDeadLeaderHeldIsTakenOverAsSoonAsTheNextOneLeads() {
        try (TestNamespace ns = TestNamespace.create(cluster, "takeover"); QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            ns.apply(ClusterTeams.LINEAR.replace("{name: writer, model: m, provider: mock}",
                    "{name: writer, model: m, provider: mock, replicas: 0}")).assertSuccess();
            ns.startRun("t1", "writers", "{topic: takeovers}");
            eventually().atMost(Duration.ofSeconds(90)).until(() -> ns.run("t1").getStatus().steps().stream()
                    .anyMatch(s -> s.name().equals("writer") && s.phase() == StepPhase.Running));

            Pod old = ark.awaitOperator();
            String oldName = old.getMetadata().getName();
            Instant deleted = Instant.now();
            cluster.kube.kubectl("delete", "pod", oldName, "-n", ArkRelease.NAMESPACE, "--wait=false").assertSuccess();
            eventually().atMost(Duration.ofSeconds(60)).until(() -> ark.operatorPods().stream()
                    .noneMatch(p -> p.getMetadata().getName().equals(oldName)));

            // the writer's answer, which the old leader read and died before its status held it
            String results = ns.name + ".writers.writer.results";
            queue.redis().xadd(results, TaskResult.succeeded("t1/writer/1", "written", 3, 4, "writers-writer-0", 5,
                    Map.of("run", "t1", "namespace", ns.name, "step", "writer", "attempt", "1", "team", "writers"))
                    .toFields());
            assertThat(queue.redis().xreadgroup(Consumer.from("ark-operator", oldName),
                    XReadArgs.StreamOffset.lastConsumed(results))).hasSize(1);

            RunStatus status = ns.awaitPhase("t1", RunPhase.Succeeded);
            Duration took = Duration.between(deleted, Instant.now());
            assertThat(took).as("from the old leader's deletion to the run's end: the Lease's 15 s and a few more")
                    .isLessThan(Duration.ofSeconds(15 + 10));
            assertThat(status.steps()).allSatisfy(s -> assertThat(s.attempts()).isEqualTo(1));
            eventually().until(() -> queue.redis().xpending(results, "ark-operator").getCount() == 0);
        }
    }
}
