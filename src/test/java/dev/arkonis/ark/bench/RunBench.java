package dev.arkonis.ark.bench;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultReader;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator's own cost (issue 4) on the mock API server with real Redis and agents started from their Deployments,
 * zero-latency mock provider: step overhead (dependency's result written -> next task in its stream; result written ->
 * status showing it), 100 concurrent runs of a 5-step team, and the overhead again with 100,000 earlier results.
 */
public final class RunBench {
    private static final String NS = "bench";
    static final int STEPS = 5;

    public static void main(String[] args) throws Exception {
        int concurrentRuns = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (RedisFixture redis = RedisFixture.start(); RedisConnections connections = RedisConnections.open(redis.url())) {
            MockCluster cluster = BenchCluster.withRuns(redis, connections);
            Map<String, Long> shownAt = watchSucceededSteps(cluster.client);
            createChain(cluster);
            PodAgents agents = new PodAgents(cluster.client);
            agents.start(NS, "chain-w");
            RedisCommands<String, String> redisCmd = connections.shared().sync();

            sequentialRuns(cluster, redisCmd, shownAt, "warm", 5);
            Overhead fresh = sequentialRuns(cluster, redisCmd, shownAt, "seq", 20);
            System.out.println("step overhead, dependency result written -> next task in stream: " + fresh.dispatch);
            System.out.println("step overhead, result written -> status shows it:              " + fresh.status);

            long start = System.nanoTime();
            for (int r = 0; r < concurrentRuns; r++) {
                createRun(cluster, "par-" + r);
            }
            for (int r = 0; r < concurrentRuns; r++) {
                awaitSucceeded(cluster, "par-" + r);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.printf("%d concurrent runs x %d steps: %.1f s, %.0f steps/s; live heap after GC %d MB, process RSS %d MB"
                            + " (Maven, mock API server, agent, operator and benchmark share this JVM)%n", concurrentRuns, STEPS,
                    seconds, concurrentRuns * STEPS / seconds, heap.getUsed() / (1024 * 1024), rssMb());

            prefill(connections, "bench.chain.w.results", 100_000);
            System.out.println("(added 100,000 earlier, acknowledged results: XLEN bench.chain.w.results = "
                    + redisCmd.xlen("bench.chain.w.results") + ")");
            Overhead history = sequentialRuns(cluster, redisCmd, shownAt, "hist", 20);
            System.out.println("with history, dependency result -> next task: " + history.dispatch);
            System.out.println("with history, result -> status:               " + history.status);
            System.out.printf("cost per result with 100,000 earlier results / without: dispatch p50 %.2fx, status p50 %.2fx%n",
                    history.dispatch.percentile(50) / fresh.dispatch.percentile(50),
                    history.status.percentile(50) / fresh.status.percentile(50));
            agents.close();
            cluster.close();
        }
    }

    record Overhead(Stats dispatch, Stats status) {
    }

    /** Runs one at a time, so each figure is one step's own path through the operator. */
    static Overhead sequentialRuns(MockCluster cluster, RedisCommands<String, String> redis,
                                           Map<String, Long> shownAt, String prefix, int runs) {
        List<Double> dispatch = new ArrayList<>();
        List<Double> status = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String name = prefix + "-" + r;
            createRun(cluster, name);
            awaitSucceeded(cluster, name);
            Map<String, Long> resultAt = new ConcurrentHashMap<>();
            redis.xrevrange("bench.chain.w.results", io.lettuce.core.Range.create("-", "+"),
                    io.lettuce.core.Limit.from(STEPS * 3)).forEach(m -> {
                        if (name.equals(m.getBody().get("run"))) {
                            resultAt.put(m.getBody().get("step"), millis(m.getId()));
                        }
                    });
            for (int i = 0; i < STEPS; i++) {
                String step = "s" + i;
                Long result = resultAt.get(step);
                Long shown = shownAt.get(name + "/" + step);
                if (result != null && shown != null) {
                    status.add((double) (shown - result));
                }
                if (i > 0) {
                    String sent = redis.get("bench.chain.w.sent." + name + "/" + step + "/1");
                    Long dependency = resultAt.get("s" + (i - 1));
                    if (sent != null && dependency != null) {
                        dispatch.add((double) (millis(sent) - dependency));
                    }
                }
            }
        }
        return new Overhead(Stats.of(dispatch.stream().mapToDouble(d -> d).toArray()),
                Stats.of(status.stream().mapToDouble(d -> d).toArray()));
    }

    private static long millis(String streamId) {
        return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
    }

    static void createRun(MockCluster cluster, String name) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: bench}
                spec: {teamRef: {name: chain}}
                """.formatted(name), ArkRun.class);
    }

    static void awaitSucceeded(MockCluster cluster, String name) {
        MockCluster.eventually().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ArkRun run = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
            return run.getStatus() != null && run.getStatus().phase() == RunPhase.Succeeded;
        });
    }

    private static void prefill(RedisConnections connections, String stream, int count) throws Exception {
        RedisAsyncCommands<String, String> async = connections.shared().async();
        List<RedisFuture<String>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(async.xadd(stream, Map.of("task", "old/s/" + i, "status", "succeeded", "output", "old",
                    "run", "old-" + i, "namespace", NS, "step", "s0", "attempt", "1")));
            if (pending.size() == 5_000) {
                for (RedisFuture<String> f : pending) {
                    f.get(10, TimeUnit.SECONDS);
                }
                pending.clear();
            }
        }
        for (RedisFuture<String> f : pending) {
            f.get(10, TimeUnit.SECONDS);
        }
        // delivered and acknowledged history: move the operator's group past it and ack what it read
        RedisCommands<String, String> sync = connections.shared().sync();
        var read = sync.xreadgroup(io.lettuce.core.Consumer.from(ResultReader.GROUP, "history"),
                XReadArgs.Builder.count(count + 10), XReadArgs.StreamOffset.lastConsumed(stream));
        if (!read.isEmpty()) {
            sync.xack(stream, ResultReader.GROUP, read.stream().map(m -> m.getId()).toArray(String[]::new));
        }
    }

    private static long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** When a watch first saw each step ({@code <run>/<step>}) Succeeded in its run's status. */
    static Map<String, Long> watchSucceededSteps(io.fabric8.kubernetes.client.KubernetesClient client) {
        Map<String, Long> shownAt = new ConcurrentHashMap<>();
        client.resources(ArkRun.class).inNamespace(NS).watch(new Watcher<ArkRun>() {
            @Override
            public void eventReceived(Action action, ArkRun run) {
                if (run.getStatus() == null || run.getStatus().steps() == null) {
                    return;
                }
                long now = System.currentTimeMillis();
                for (StepStatus s : run.getStatus().steps()) {
                    if (s.phase() == StepPhase.Succeeded) {
                        shownAt.putIfAbsent(run.getMetadata().getName() + "/" + s.name(), now);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        return shownAt;
    }

    /** The benchmarks' team: a chain of 5 steps of one role whose agent takes up to 50 tasks at once. */
    static void createChain(MockCluster cluster) {
        cluster.create(chainTeam(), ArkTeam.class);
    }

    /** The chain team as YAML, for a benchmark that talks to its API server through a plain client. */
    static String chainTeam() {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < STEPS; i++) {
            pipeline.append("    - {name: s").append(i).append(", role: w")
                    .append(i == 0 ? "" : ", dependsOn: [s" + (i - 1) + "]")
                    .append(", inputs: {prompt: \"step ").append(i).append("\"}}\n");
        }
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: chain, namespace: bench}
                spec:
                  successfulRunsHistoryLimit: 1000
                  roles: [{name: w, model: m, provider: mock, limits: {maxConcurrentTasks: 50}}]
                  pipeline:
                """ + pipeline;
    }
}
