package dev.arkonis.ark.bench;

import dev.arkonis.ark.cluster.ArkCluster;
import dev.arkonis.ark.cluster.ArkRelease;
import dev.arkonis.ark.cluster.TestNamespace;
import dev.arkonis.ark.operator.shard.Shards;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * The operator's work per replica with 1 and with 2 shards, on the real control plane (as {@link ClusterBench}: the
 * chart with the suite's values, the harness kubelet's processes, mock provider). For each shard count the release is
 * upgraded to {@code replicaCount} = that count, one namespace per shard gets the 5-step chain team, and N runs
 * (split evenly over the namespaces) are run after a warm-up round of as many; printed: steps/s, and each replica's
 * CPU per step of its own shard's steps, with the load average (the machine is shared: compare the ratios of one
 * run). Arguments: runs per round (100), warm-up rounds (1), shard counts ("1,2"). Needs a control plane
 * ({@code -Dlocalkube.dir}) and the packaged jar.
 */
public final class ShardBench {
    public static void main(String[] args) {
        ClusterBench.runAndExit(() -> {
            measure(args);
            return null;
        });
    }

    private static void measure(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String[] counts = (args.length > 2 ? args[2] : "1,2").split(",");
        ArkCluster cluster = ArkCluster.get();
        ArkRelease ark = cluster.ark();
        try {
            for (String count : counts) {
                round(cluster, ark, Integer.parseInt(count.strip()), runs, warmups);
            }
        } finally {
            ark.changed();
            ark.upgradeToSuiteValues().assertSuccess();
        }
    }

    private static void round(ArkCluster cluster, ArkRelease ark, int shards, int runs, int warmups) throws Exception {
        ark.changed();
        ark.upgrade("--reuse-values", "--set", "replicaCount=" + shards).assertSuccess();
        Map<Integer, String> leaders = awaitLeaders(cluster, ark, shards);
        List<TestNamespace> namespaces = new ArrayList<>();
        try {
            for (int shard = 0; shard < shards; shard++) {
                TestNamespace ns = TestNamespace.named(cluster, namespaceOf(new Shards(shards), shard));
                ns.apply(RunBench.chainTeam().replace("namespace: bench", "namespace: " + ns.name)).assertSuccess();
                namespaces.add(ns);
            }
            for (TestNamespace ns : namespaces) {
                ns.awaitReadyPods("chain-w", 1);
            }
            for (int round = 0; round < warmups; round++) {
                batches(cluster, namespaces, "warm" + round + "-", runs / shards);
            }
            Map<String, Long> pids = new LinkedHashMap<>();
            leaders.values().stream().distinct().forEach(pod -> pids.put(pod,
                    cluster.running(ArkRelease.NAMESPACE, pod).only().pid()));
            Map<String, Double> cpuBefore = new LinkedHashMap<>();
            pids.forEach((pod, pid) -> cpuBefore.put(pod, ProcessStats.cpuSeconds(pid)));
            String load = ClusterBench.loadAverage();
            List<ClusterBench.Batch> measured = batches(cluster, namespaces, "run-", runs / shards);
            double seconds = measured.stream().mapToDouble(ClusterBench.Batch::seconds).max().orElseThrow();
            int steps = measured.stream().mapToInt(ClusterBench.Batch::finished).sum() * RunBench.STEPS;
            System.out.printf("%d shard(s), %d replica(s): %d runs of %d steps in %.1f s, %.1f steps/s; load average"
                            + " %s before, %s after%n", shards, pids.size(), runs, RunBench.STEPS, seconds,
                    steps / seconds, load, ClusterBench.loadAverage());
            double total = 0;
            for (Map.Entry<String, Long> replica : pids.entrySet()) {
                double cpu = ProcessStats.cpuSeconds(replica.getValue()) - cpuBefore.get(replica.getKey());
                total += cpu;
                List<Integer> led = leaders.entrySet().stream().filter(e -> e.getValue().equals(replica.getKey()))
                        .map(Map.Entry::getKey).toList();
                int ownSteps = led.stream().mapToInt(s -> measured.get(s).finished() * RunBench.STEPS).sum();
                System.out.printf("  replica %s (shards %s): CPU %.1f s, %.2f ms per step of its shards (%d steps);"
                                + " RSS %d MB%n", replica.getKey(), led, cpu, cpu * 1000 / ownSteps, ownSteps,
                        ProcessStats.rssMb(replica.getValue()));
            }
            System.out.printf("  all replicas: %.2f ms of operator CPU per step%n", total * 1000 / steps);
        } finally {
            namespaces.forEach(TestNamespace::close);
        }
    }

    /** Each namespace's runs at once, from a thread per namespace; each namespace's batch as it finished. */
    private static List<ClusterBench.Batch> batches(ArkCluster cluster, List<TestNamespace> namespaces, String prefix,
                                                    int runs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(namespaces.size());
        try {
            List<Future<ClusterBench.Batch>> started = new ArrayList<>();
            for (TestNamespace ns : namespaces) {
                started.add(pool.submit(() -> {
                    try (ClusterBench.RunWatch watch = ClusterBench.RunWatch.start(cluster.admin, ns.name)) {
                        return ClusterBench.batch(cluster.admin, ns.name, prefix, runs, watch);
                    }
                }));
            }
            List<ClusterBench.Batch> done = new ArrayList<>();
            for (Future<ClusterBench.Batch> batch : started) {
                done.add(batch.get());
            }
            return done;
        } finally {
            pool.shutdown();
        }
    }

    /** Shard to the pod leading it, once every shard is led by its own live replica. */
    private static Map<Integer, String> awaitLeaders(ArkCluster cluster, ArkRelease ark, int shards) {
        if (shards == 1) {
            return Map.of(0, ark.awaitOperator().getMetadata().getName());
        }
        return Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<String> live = ark.operatorPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .map(Pod::getMetadata).map(m -> m.getName()).toList();
            Map<Integer, String> leaders = new LinkedHashMap<>();
            for (int shard = 0; shard < shards; shard++) {
                Lease lease = cluster.admin.leases().inNamespace(ArkRelease.NAMESPACE).withName(Shards.leaseName(shard)).get();
                String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
                if (holder == null || !live.contains(holder)) {
                    return null;
                }
                leaders.put(shard, holder);
            }
            return live.size() == shards && leaders.values().stream().distinct().count() == shards ? leaders : null;
        }, Objects::nonNull);
    }

    /** A namespace of the shard, named for the shard count: each round's runs start on fresh streams. */
    private static String namespaceOf(Shards shards, int shard) {
        return IntStream.iterate(0, n -> n + 1).mapToObj(n -> "shard-bench-" + shards.count() + "-" + n)
                .filter(ns -> shards.of(ns) == shard).findFirst().orElseThrow();
    }
}
