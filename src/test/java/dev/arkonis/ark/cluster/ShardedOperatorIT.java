package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.shard.Shards;
import dev.arkonis.ark.queue.TaskResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas ({@code replicaCount: 2}), so two shards of namespaces, each led by one replica through its
 * Lease. One replica is killed (SIGKILL) while runs of both shards wait on their writer: the other takes its shard's
 * Lease once it lapses, takes over at once the results the dead one had read, and finishes every run, each step once.
 */
@Order(31)
class ShardedOperatorIT {
    private static final Shards TWO = new Shards(2);
    /** The Lease's duration (JOSDK's default), and a few seconds to notice, take over and finish. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15 + 13);

    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void twoReplicas() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
        ark.changed();
        ark.upgrade("--reuse-values", "--set", "replicaCount=2").assertSuccess();
        // a rolling update of two JVM pods, one after the other: on a loaded machine each takes a minute or more
        eventually().atMost(Duration.ofSeconds(300)).untilAsserted(() -> {
            List<String> pods = livePods();
            assertThat(pods).hasSize(2);
            assertThat(IntStream.range(0, 2).mapToObj(ShardedOperatorIT::holder).toList())
                    .as("each replica leads one shard").containsExactlyInAnyOrderElementsOf(pods);
        });
    }

    @AfterAll
    static void oneReplica() {
        ark.changed();
        ark.upgradeToSuiteValues().assertSuccess();
        ark.ensureInstalled();
    }

    @Test
    void aKilledReplicasShardMovesToTheOtherAndItsRunsFinishThere() {
        try (TestNamespace first = TestNamespace.named(cluster, namespaceOfShard(0));
             TestNamespace second = TestNamespace.named(cluster, namespaceOfShard(1));
             QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            for (TestNamespace ns : List.of(first, second)) {
                ns.apply(ClusterTeams.LINEAR.replace("{name: writer, model: m, provider: mock}",
                        "{name: writer, model: m, provider: mock, replicas: 0}")).assertSuccess();
                ns.startRun("s1", "writers", "{topic: shards}");
            }
            for (TestNamespace ns : List.of(first, second)) {
                eventually().atMost(Duration.ofSeconds(120)).until(() -> ns.run("s1").getStatus() != null
                        && ns.run("s1").getStatus().steps().stream()
                        .anyMatch(s -> s.name().equals("writer") && s.phase() == StepPhase.Running));
            }
            String victim = holder(0);
            String survivor = holder(1);
            assertThat(victim).as("two replicas, one shard each").isNotEqualTo(survivor);

            Instant killed = Instant.now();
            ProcessHandle.of(cluster.running(ArkRelease.NAMESPACE, victim).only().pid())
                    .ifPresent(ProcessHandle::destroyForcibly);
            // the dead replica's pod goes (as a lost node's would), so it cannot come back and win its shard again
            eventually().until(() -> pod(victim) == null || !TestNamespace.ready(pod(victim)));
            cluster.kube.kubectl("scale", "deployment", "ark-operator", "-n", ArkRelease.NAMESPACE, "--replicas=1")
                    .assertSuccess();

            // the writers' answers: the one of the dead replica's shard it had read and never acknowledged
            String deadsResults = first.name + ".writers.writer.results";
            queue.redis().xadd(deadsResults, writerResult(first.name));
            assertThat(queue.redis().xreadgroup(Consumer.from("ark-operator", victim),
                    XReadArgs.StreamOffset.lastConsumed(deadsResults))).hasSize(1);
            queue.redis().xadd(second.name + ".writers.writer.results", writerResult(second.name));

            RunStatus taken = first.awaitPhase("s1", RunPhase.Succeeded, TAKEOVER.plusSeconds(30));
            assertThat(Duration.between(killed, Instant.now())).as("from the kill to the run's end").isLessThan(TAKEOVER);
            RunStatus kept = second.awaitPhase("s1", RunPhase.Succeeded);
            assertThat(holder(0)).as("the survivor leads the dead replica's shard").isEqualTo(survivor);
            assertThat(holder(1)).isEqualTo(survivor);
            for (TestNamespace ns : List.of(first, second)) {
                RunStatus status = ns == first ? taken : kept;
                assertThat(status.steps()).allSatisfy(s -> assertThat(s.attempts()).isEqualTo(1));
                assertThat(status.steps().stream().map(StepStatus::taskID)).containsExactly("s1/researcher/1", "s1/writer/1");
                assertThat(queue.redis().xlen(ns.name + ".writers.researcher.results")).as("the researcher ran once")
                        .isEqualTo(1);
                eventually().until(() -> queue.redis().xpending(ns.name + ".writers.writer.results", "ark-operator")
                        .getCount() == 0);
            }
        }
    }

    private static Map<String, String> writerResult(String namespace) {
        return TaskResult.succeeded("s1/writer/1", "written", 3, 4, "writers-writer-0", 5,
                Map.of("run", "s1", "namespace", namespace, "step", "writer", "attempt", "1", "team", "writers"))
                .toFields();
    }

    /** A namespace whose name hashes to the shard: "sharded-<n>" for the first n that does. */
    private static String namespaceOfShard(int shard) {
        return IntStream.iterate(0, n -> n + 1).mapToObj(n -> "sharded-" + n).filter(ns -> TWO.of(ns) == shard)
                .findFirst().orElseThrow();
    }

    private static String holder(int shard) {
        Lease lease = cluster.admin.leases().inNamespace(ArkRelease.NAMESPACE).withName(Shards.leaseName(shard)).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static Pod pod(String name) {
        return cluster.admin.pods().inNamespace(ArkRelease.NAMESPACE).withName(name).get();
    }

    private static List<String> livePods() {
        return ark.operatorPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(TestNamespace::ready).map(p -> p.getMetadata().getName()).filter(Objects::nonNull).toList();
    }
}
