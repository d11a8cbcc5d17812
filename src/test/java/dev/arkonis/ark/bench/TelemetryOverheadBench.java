package dev.arkonis.ark.bench;

import dev.arkonis.ark.agent.AgentConfig;
import dev.arkonis.ark.agent.AgentRuntime;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.telemetry.OtlpReceiver;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TraceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What tracing and metrics cost (issue 12), exporting on against off in one run: the operator's step overhead (as
 * RunBench measures it: a dependency's result written -> the next task in its stream) on two otherwise identical
 * operators, one exporting every span to an OTLP receiver, and the agent's tasks per second likewise. Rounds
 * alternate between the two, so a loaded machine weighs on both alike. Metrics are counted in both: they are always on.
 */
public final class TelemetryOverheadBench {
    private static final int STEPS = 5;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        // the SDK drops spans beyond its export queue (2048 by default) rather than slow the process down
        String queue = args.length > 1 ? args[1] : "2048";
        try (OtlpReceiver otlp = OtlpReceiver.discarding()) {
            Map<String, String> operator = new HashMap<>(otlp.env("ark-operator"));
            operator.put("OTEL_BSP_MAX_QUEUE_SIZE", queue);
            Map<String, String> agent = new HashMap<>(otlp.env("ark-agent"));
            agent.put("OTEL_BSP_MAX_QUEUE_SIZE", queue);
            System.out.println("OTLP/HTTP export to a local receiver, OTEL_BSP_MAX_QUEUE_SIZE=" + queue);
            stepOverhead(operator, rounds);
            agentThroughput(agent, rounds);
            System.out.printf("export requests received by the OTLP receiver: %d%n", otlp.requests());
        }
    }

    private static void stepOverhead(Map<String, String> otel, int rounds) throws Exception {
        try (Side off = Side.start(Map.of()); Side on = Side.start(otel)) {
            off.runs("warm", 5);
            on.runs("warm", 5);
            List<Double> offP50 = new ArrayList<>();
            List<Double> onP50 = new ArrayList<>();
            List<Double> offAll = new ArrayList<>();
            List<Double> onAll = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                RunBench.Overhead a = off.runs("r" + round, 20);
                RunBench.Overhead b = on.runs("r" + round, 20);
                offP50.add(a.dispatch().percentile(50));
                onP50.add(b.dispatch().percentile(50));
                Arrays.stream(a.dispatch().millis()).forEach(offAll::add);
                Arrays.stream(b.dispatch().millis()).forEach(onAll::add);
                System.out.println("round " + round + " step overhead, tracing off: " + a.dispatch());
                System.out.println("round " + round + " step overhead, tracing on:  " + b.dispatch());
            }
            double offMedian = median(offP50);
            double onMedian = median(onP50);
            System.out.printf("step overhead p50 (median of %d rounds): off %.1f ms, on %.1f ms, on/off %.2fx%n", rounds,
                    offMedian, onMedian, onMedian / offMedian);
            // stream ids have millisecond resolution: the mean of every step pooled resolves below it
            double offMean = offAll.stream().mapToDouble(d -> d).average().orElse(0);
            double onMean = onAll.stream().mapToDouble(d -> d).average().orElse(0);
            System.out.printf("step overhead mean of all %d steps: off %.2f ms, on %.2f ms, on/off %.2fx%n",
                    offAll.size(), offMean, onMean, onMean / offMean);
        }
    }

    private static void agentThroughput(Map<String, String> otel, int rounds) throws Exception {
        int tasks = 10_000;
        try (RedisFixture redis = RedisFixture.start(); RedisConnections connections = RedisConnections.open(redis.url());
             Telemetry traced = Telemetry.fromEnv(otel, "ark-agent")) {
            Telemetry untraced = Telemetry.none();
            AgentRuntime off = agent(redis, "bench.off.w", "off-0", untraced);
            AgentRuntime on = agent(redis, "bench.on.w", "on-0", traced);
            TaskQueue queue = new TaskQueue(connections.shared());
            throughput(queue, connections, "bench.off.w", "warm", 2_000);
            throughput(queue, connections, "bench.on.w", "warm", 2_000);
            List<Double> offRates = new ArrayList<>();
            List<Double> onRates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double a = throughput(queue, connections, "bench.off.w", "r" + round, tasks);
                double b = throughput(queue, connections, "bench.on.w", "r" + round, tasks);
                System.out.printf("round %d agent tasks/s (16 in flight): tracing off %.0f, on %.0f%n", round, a, b);
                offRates.add(a);
                onRates.add(b);
            }
            System.out.printf("agent tasks/s (median of %d rounds): off %.0f, on %.0f, on/off %.2fx%n", rounds,
                    median(offRates), median(onRates), median(onRates) / median(offRates));
            off.shutdown(Duration.ofSeconds(1));
            on.shutdown(Duration.ofSeconds(1));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static AgentRuntime agent(RedisFixture redis, String queue, String pod, Telemetry telemetry) throws Exception {
        AgentRuntime agent = new AgentRuntime(AgentConfig.fromEnv(Map.of("AGENT_QUEUE", queue,
                "TASK_QUEUE_URL", redis.url(), "POD_NAME", pod, "AGENT_MODEL", "m", "AGENT_PROVIDER", "mock",
                "AGENT_MAX_CONCURRENT_TASKS", "16", "AGENT_HEALTH_PORT", "0")), new MockProvider(Duration.ZERO, telemetry),
                Clock.systemUTC(), telemetry);
        agent.start();
        return agent;
    }

    /** Tasks per second: {@code count} tasks with trace context dispatched at once, until their last result is in. */
    private static double throughput(TaskQueue queue, RedisConnections connections, String stream, String label, int count) {
        String replies = stream + ".results";
        long before = connections.shared().sync().xlen(replies);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String task = label + "/s/" + i;
            queue.dispatch(stream, TaskMessage.of(task, "task " + i, replies)
                    .withTraceparent(TraceContext.traceparent(label + "-run", task))
                    .withExtra(Map.of("run", label, "step", "s", "attempt", "1")));
        }
        MockCluster.eventually().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(20))
                .until(() -> connections.shared().sync().xlen(replies) >= before + count);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** One operator with its own Redis, mock API server and agent, tracing as its environment says. */
    private record Side(RedisFixture redis, RedisConnections connections, Telemetry telemetry, MockCluster cluster,
                        PodAgents agents, Map<String, Long> shownAt) implements AutoCloseable {
        static Side start(Map<String, String> otel) throws Exception {
            RedisFixture redis = RedisFixture.start();
            RedisConnections connections = RedisConnections.open(redis.url());
            Map<String, String> env = new HashMap<>(MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0"));
            env.putAll(otel);
            Telemetry telemetry = Telemetry.fromEnv(env, "ark-operator");
            MockCluster cluster = new MockCluster(env, operator -> operator.withRedis(connections).withTelemetry(telemetry));
            Map<String, Long> shownAt = RunBench.watchSucceededSteps(cluster.client);
            RunBench.createChain(cluster);
            PodAgents agents = new PodAgents(cluster.client);
            agents.start("bench", "chain-w");
            return new Side(redis, connections, telemetry, cluster, agents, shownAt);
        }

        RunBench.Overhead runs(String prefix, int count) {
            return RunBench.sequentialRuns(cluster, connections.shared().sync(), shownAt, prefix, count);
        }

        @Override
        public void close() {
            agents.close();
            cluster.close();
            telemetry.close();
            connections.close();
            redis.close();
        }
    }
}
