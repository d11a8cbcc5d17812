package dev.arkonis.ark.bench;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fast budgets act: from the result that crosses an agent's limit (its entry time in the result stream)
 * to the agent's Deployment at 0 replicas, and from the moment the window frees the budget (status.budgetResetsAt)
 * to the replicas restored. Mock API server, real Redis, agents from their Deployments, a 10 s window.
 */
public final class BudgetBench {
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (RedisFixture redis = RedisFixture.start(); RedisConnections connections = RedisConnections.open(redis.url())) {
            MockCluster cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(),
                    "BUDGET_WINDOW_SECONDS", "10"), connections);
            Map<String, Instant> scaledDown = new ConcurrentHashMap<>();
            Map<String, Instant> scaledUp = new ConcurrentHashMap<>();
            cluster.client.apps().deployments().inNamespace(NS).watch(new Watcher<Deployment>() {
                @Override
                public void eventReceived(Action action, Deployment d) {
                    Integer replicas = d.getSpec().getReplicas();
                    String name = d.getMetadata().getName();
                    if (replicas != null && replicas == 0) {
                        scaledDown.putIfAbsent(name, Instant.now());
                    } else if (replicas != null && replicas > 0 && scaledDown.containsKey(name)) {
                        scaledUp.putIfAbsent(name, Instant.now());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            PodAgents agents = new PodAgents(cluster.client);
            double[] down = new double[rounds];
            double[] up = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                String team = "t" + r;
                cluster.create("""
                        apiVersion: arkonis.dev/v1alpha1
                        kind: ArkTeam
                        metadata: {name: %s, namespace: bench}
                        spec:
                          roles: [{name: w, model: m, provider: mock, limits: {maxDailyTokens: 10}}]
                          pipeline:
                            - {name: one, role: w, inputs: {prompt: hello}}
                            - {name: two, role: w, dependsOn: [one], inputs: {prompt: hello again}}
                        """.formatted(team), ArkTeam.class);
                agents.start(NS, team + "-w");
                cluster.create("""
                        apiVersion: arkonis.dev/v1alpha1
                        kind: ArkRun
                        metadata: {name: %s-run, namespace: bench}
                        spec: {teamRef: {name: %s}}
                        """.formatted(team, team), ArkRun.class);
                String agent = team + "-w";
                MockCluster.eventually().atMost(Duration.ofSeconds(30)).until(() -> scaledUp.containsKey(agent));
                // the second result is the one that crossed the limit
                List<StreamMessage<String, String>> results = redis.redis().xrange(NS + "." + team + ".w.results",
                        io.lettuce.core.Range.create("-", "+"));
                long crossedAt = Long.parseLong(results.get(1).getId().split("-")[0]);
                ArkAgent status = cluster.client.resources(ArkAgent.class).inNamespace(NS).withName(agent).get();
                down[r] = scaledDown.get(agent).toEpochMilli() - crossedAt;
                Instant resets = resetsAt(cluster, agent, scaledDown.get(agent));
                up[r] = Duration.between(resets, scaledUp.get(agent)).toMillis();
                MockCluster.eventually().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.resources(ArkRun.class)
                        .inNamespace(NS).withName(team + "-run").get().getStatus().phase() == RunPhase.Succeeded);
                System.out.printf("round %d: crossing result -> 0 replicas %.0f ms; window frees budget -> replicas restored %.0f ms%n",
                        r, down[r], up[r]);
            }
            System.out.println("crossing result -> Deployment at 0: " + Stats.of(down));
            System.out.println("budget frees -> replicas restored:  " + Stats.of(up));
            agents.close();
            cluster.close();
        }
    }

    /** The reset moment the operator announced while the agent was exhausted (kept in its Events' messages too). */
    private static Instant resetsAt(MockCluster cluster, String agent, Instant scaledDownAt) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> agent.equals(e.getInvolvedObject().getName()) && "BudgetExceeded".equals(e.getReason()))
                .map(e -> e.getMessage().substring(e.getMessage().lastIndexOf("until ") + 6))
                .map(Instant::parse).findFirst().orElse(scaledDownAt);
    }
}
