package dev.arkonis.ark.bench;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.ReconcileErrorLog.ReconcileTime;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import java.time.Duration;

/**
 * The ArkRun reconciler's cost per result as the pipeline grows: linear chains of 10, 50 and 100 steps (one result
 * per step, so one event each), the time JOSDK measured inside the arkrun reconciler (status write to the mock API
 * server included) divided by the results applied. Flat = the reconciler does not redo per-step work per event.
 * Argument: runs per chain length (3, after one warm-up run).
 */
public final class RunEventCostBench {
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int[] lengths = {10, 50, 100};
        try (RedisFixture redis = RedisFixture.start(); RedisConnections connections = RedisConnections.open(redis.url());
             MockCluster cluster = BenchCluster.withRuns(redis, connections);
             PodAgents agents = new PodAgents(cluster.client)) {
            for (int steps : lengths) {
                String team = "chain-" + steps;
                cluster.create(chain(team, steps), ArkTeam.class);
                agents.start(NS, team + "-w");
                run(cluster, team, team + "-warm");
                ReconcileTime before = cluster.operator.errorLog().reconcileTime("arkrun");
                for (int r = 0; r < runs; r++) {
                    run(cluster, team, team + "-" + r);
                }
                ReconcileTime after = cluster.operator.errorLog().reconcileTime("arkrun");
                long reconciles = after.count() - before.count();
                double millis = (after.totalNanos() - before.totalNanos()) / 1e6;
                System.out.printf("%3d steps: %.3f ms of arkrun reconcile per result (%.3f ms per reconcile, %.1f reconciles"
                        + " per result, %d runs)%n", steps, millis / (runs * steps), millis / reconciles,
                        reconciles / (double) (runs * steps), runs);
            }
        }
    }

    private static String chain(String team, int steps) {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < steps; i++) {
            pipeline.append("    - {name: s").append(i).append(", role: w")
                    .append(i == 0 ? "" : ", dependsOn: [s" + (i - 1) + "]")
                    .append(", inputs: {prompt: \"step ").append(i).append("\"}}\n");
        }
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: %s, namespace: bench}
                spec:
                  successfulRunsHistoryLimit: 1000
                  roles: [{name: w, model: m, provider: mock}]
                  pipeline:
                """.formatted(team) + pipeline;
    }

    private static void run(MockCluster cluster, String team, String name) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: bench}
                spec: {teamRef: {name: %s}}
                """.formatted(name, team), ArkRun.class);
        MockCluster.eventually().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ArkRun run = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
            return run.getStatus() != null && run.getStatus().phase() == RunPhase.Succeeded;
        });
    }
}
