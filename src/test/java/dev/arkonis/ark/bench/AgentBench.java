package dev.arkonis.ark.bench;

import dev.arkonis.ark.agent.AgentConfig;
import dev.arkonis.ark.agent.AgentRuntime;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultEntry;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.RedisFuture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent process-equivalent (an in-process AgentRuntime, zero-latency mock provider) on a real Redis: round trip
 * from a task added to its result read, and tasks per second, on fresh streams and again after 100,000 earlier
 * results; beside redis-benchmark's XADD throughput on the same server, measured in the same run.
 */
public final class AgentBench {
    private static final String QUEUE = "bench.team.worker";
    private static final String REPLIES = QUEUE + ".results";

    public static void main(String[] args) throws Exception {
        int latencyTasks = 2_000;
        int throughputTasks = 20_000;
        try (RedisFixture redis = RedisFixture.start(); RedisConnections connections = RedisConnections.open(redis.url())) {
            System.out.println("redis-benchmark XADD, 50 clients: " + redisBenchmark(redis.port(), 50) + " req/s");
            System.out.println("redis-benchmark XADD, 1 client:   " + redisBenchmark(redis.port(), 1) + " req/s");
            AgentRuntime agent = new AgentRuntime(AgentConfig.fromEnv(Map.of("AGENT_QUEUE", QUEUE,
                    "TASK_QUEUE_URL", redis.url(), "POD_NAME", "bench-0", "AGENT_MODEL", "m", "AGENT_PROVIDER", "mock",
                    "AGENT_MAX_CONCURRENT_TASKS", "16", "AGENT_HEALTH_PORT", "0")), MockProvider.INSTANCE, Clock.systemUTC());
            agent.start();
            TaskQueue dispatcher = new TaskQueue(connections.shared());
            TaskQueue reader = new TaskQueue(connections.newConnection());
            measure("warm-up", dispatcher, reader, 500, 2_000, false);
            double[] fresh = measure("empty history", dispatcher, reader, latencyTasks, throughputTasks, true);
            prefillResults(connections, 100_000);
            System.out.println("(added 100,000 earlier results to " + REPLIES + ": XLEN "
                    + connections.shared().sync().xlen(REPLIES) + ")");
            double[] history = measure("100,000 earlier results", dispatcher, reader, latencyTasks, throughputTasks, true);
            System.out.printf("with history / without: p50 %.2fx, tasks/s %.2fx%n", history[0] / fresh[0], history[1] / fresh[1]);
            agent.shutdown(Duration.ofSeconds(1));
        }
    }

    /** Returns {p50 ms, tasks per second}. */
    private static double[] measure(String label, TaskQueue dispatcher, TaskQueue reader, int latencyTasks,
                                    int throughputTasks, boolean print) {
        String last = lastId(reader);
        double[] millis = new double[latencyTasks];
        for (int i = 0; i < latencyTasks; i++) {
            long start = System.nanoTime();
            dispatcher.dispatch(QUEUE, TaskMessage.of(label + "/lat/" + i, "ping " + i, REPLIES));
            List<ResultEntry> got = reader.readResults(REPLIES, last, 1, Duration.ofSeconds(5));
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (got.isEmpty()) {
                throw new IllegalStateException("no result within 5 s");
            }
            last = got.get(0).id();
        }
        Stats latency = Stats.of(millis);
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < throughputTasks; i++) {
                dispatcher.dispatch(QUEUE, TaskMessage.of(label + "/tp/" + i, "work " + i, REPLIES));
            }
        });
        producer.start();
        int received = 0;
        while (received < throughputTasks) {
            List<ResultEntry> got = reader.readResults(REPLIES, last, 1000, Duration.ofSeconds(5));
            if (got.isEmpty()) {
                throw new IllegalStateException("results stopped after " + received);
            }
            received += got.size();
            last = got.get(got.size() - 1).id();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = throughputTasks / seconds;
        if (print) {
            System.out.printf("%s: round trip p50 %.2f ms, p99 %.2f ms (n=%d, one at a time); %.0f tasks/s (%d tasks, 16 in flight)%n",
                    label, latency.percentile(50), latency.percentile(99), latencyTasks, perSecond, throughputTasks);
        }
        return new double[] {latency.percentile(50), perSecond};
    }

    private static String lastId(TaskQueue reader) {
        List<ResultEntry> all = reader.readResults(REPLIES, "0", Integer.MAX_VALUE, Duration.ZERO);
        return all.isEmpty() ? "0" : all.get(all.size() - 1).id();
    }

    private static void prefillResults(RedisConnections connections, int count) throws Exception {
        RedisAsyncCommands<String, String> async = connections.shared().async();
        List<RedisFuture<String>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(async.xadd(REPLIES, Map.of("task", "old/" + i, "status", "succeeded", "output", "old output " + i,
                    "agent", "old", "inputTokens", "3", "outputTokens", "4", "durationMs", "1")));
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
    }

    private static String redisBenchmark(int port, int clients) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-benchmark"))) {
            return "n/a (apt-get install -y redis-tools)";
        }
        Process p = new ProcessBuilder("/usr/bin/redis-benchmark", "-p", Integer.toString(port), "-n", "100000",
                "-c", Integer.toString(clients), "-q", "XADD", "benchstream", "*", "f", "v").redirectErrorStream(true).start();
        String result = "?";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = out.readLine()) != null; ) {
                int at = line.lastIndexOf("XADD");
                if (line.contains("requests per second")) {
                    String tail = line.substring(at < 0 ? 0 : at);
                    result = tail.replaceAll(".*?([0-9.]+) requests per second.*", "$1");
                }
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return result;
    }
}
