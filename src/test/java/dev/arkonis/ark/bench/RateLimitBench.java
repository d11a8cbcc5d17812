package dev.arkonis.ark.bench;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultEntry;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.queue.TaskStatus;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ten agent processes of one role ({@code java -jar target/ark.jar agent}, as pods run it) against a local
 * OpenAI-compatible server that enforces 60 requests a minute as providers do, with a token bucket that holds a
 * minute's worth and refills one a second (answering 429 with Retry-After when empty); 100 tasks on the role's stream,
 * real Redis. Twice: "before", the model without a rate limit (each agent backs off alone on 429), and "after", its
 * ArkModel's {@code rateLimits.requestsPerMinute: 60} (one bucket in Redis for all ten). Prints, for each: tasks
 * answered and failed, time to drain, calls answered and refused (429), and when the first and last 429 came.
 *
 * <p>{@code mvn -q -B -DskipTests -Dark.skipArchive=true package} first;
 * {@code mvn -q -B exec:java -Dexec.mainClass=dev.arkonis.ark.bench.RateLimitBench [-Dexec.args="<agents> <tasks>"]}.
 */
public final class RateLimitBench {
    private static final String QUEUE = "bench.team.worker";
    private static final String REPLIES = QUEUE + ".results";
    private static final int PER_MINUTE = 60;
    private static final Duration CALL_LATENCY = Duration.ofMillis(100);

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path jar = Path.of("target/ark.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build target/ark.jar first: mvn -q -B -DskipTests -Dark.skipArchive=true package");
        }
        System.out.printf("%d agent processes, %d tasks, a server allowing %d calls a minute (a bucket of %d, one more a"
                + " second), %d ms a call%n", agents, tasks, PER_MINUTE, PER_MINUTE, CALL_LATENCY.toMillis());
        System.out.printf("the quota's own floor: %d calls at once, the other %d at one a second: %.0f s%n",
                Math.min(tasks, PER_MINUTE), Math.max(0, tasks - PER_MINUTE), (double) Math.max(0, tasks - PER_MINUTE));
        for (boolean shared : new boolean[] {false, true}) {
            Outcome outcome = measure(jar, agents, tasks, shared);
            System.out.println(outcome.line(shared ? "after (shared bucket in Redis)" : "before (each agent alone)"));
        }
    }

    private static Outcome measure(Path jar, int agents, int tasks, boolean shared) throws Exception {
        try (RedisFixture redis = RedisFixture.start(); QuotaServer server = QuotaServer.start(PER_MINUTE, CALL_LATENCY);
             RedisConnections connections = RedisConnections.open(redis.url())) {
            List<Process> processes = new ArrayList<>();
            try {
                List<Integer> healthPorts = new ArrayList<>();
                for (int i = 0; i < agents; i++) {
                    int port = RedisFixture.freePort();
                    healthPorts.add(port);
                    processes.add(startAgent(jar, redis.url(), server.url(), "agent-" + i, port, shared));
                }
                for (int port : healthPorts) {
                    awaitReady(port, Duration.ofMinutes(3));
                }
                TaskQueue queue = new TaskQueue(connections.shared());
                TaskQueue reader = new TaskQueue(connections.newConnection());
                // warm the agents up (their first calls load and compile most of the code), then start afresh: a full
                // bucket at the provider and none in Redis
                String last = drain(queue, reader, "warm-up", 3 * agents, "0").last();
                // the agents' retries of the warm-up are over once the provider has heard nothing for two seconds
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> server.quietFor(Duration.ofSeconds(2)));
                connections.shared().sync().keys("ark:models:*").forEach(key -> connections.shared().sync().del(key));
                server.reset();
                long start = System.nanoTime();
                Drained drained = drain(queue, reader, "bench", tasks, last);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Outcome(drained.ok(), drained.failed(), seconds, server.answered.get(), server.refused.get(),
                        server.secondsToFirstRefusal(), server.secondsToLastRefusal());
            } finally {
                for (Process p : processes) {
                    p.destroy();
                }
                for (Process p : processes) {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    private record Drained(int ok, int failed, String last) {
    }

    /** Sends {@code tasks} tasks and reads their results (after the entry {@code after}) until all are in. */
    private static Drained drain(TaskQueue queue, TaskQueue reader, String label, int tasks, String after) {
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            queue.dispatch(QUEUE, TaskMessage.of(label + "/t/" + i, "task " + i, REPLIES));
        }
        int ok = 0;
        int failed = 0;
        String last = after;
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (ok + failed < tasks && System.nanoTime() < deadline) {
            for (ResultEntry entry : reader.readResults(REPLIES, last, 100, Duration.ofSeconds(1))) {
                last = entry.id();
                if (entry.result().status() == TaskStatus.SUCCEEDED) {
                    ok++;
                } else {
                    failed++;
                }
            }
        }
        return new Drained(ok, failed, last);
    }

    private static Process startAgent(Path jar, String redisUrl, String serverUrl, String pod, int healthPort,
                                      boolean shared) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx160m", "-XX:+UseSerialGC", "-jar", jar.toString(), "agent")
                .redirectErrorStream(true).redirectOutput(new File("target/rate-limit-bench-" + pod + ".log"));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("ANTHROPIC_") || name.startsWith("OTEL_"));
        env.putAll(Map.of("TASK_QUEUE_URL", redisUrl, "AGENT_QUEUE", QUEUE, "POD_NAME", pod, "AGENT_NAMESPACE", "bench",
                "AGENT_MODEL", "gpt-bench", "AGENT_PROVIDER", "openai", "OPENAI_BASE_URL", serverUrl + "/v1",
                "OPENAI_API_KEY", "sk-bench", "AGENT_HEALTH_PORT", Integer.toString(healthPort),
                "AGENT_TIMEOUT_SECONDS", "300"));
        env.put("AGENT_MODELS", "[{\"name\":\"gpt-bench\",\"provider\":\"openai\",\"model\":\"gpt-bench\",\"ownKeys\":false"
                + (shared ? ",\"rateLimits\":{\"requestsPerMinute\":" + PER_MINUTE + "}" : "") + "}]");
        return builder.start();
    }

    private static void awaitReady(int port, Duration within) {
        HttpClient http = HttpClient.newHttpClient();
        await("agent on health port " + port + " ready").atMost(within).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private record Outcome(int ok, int failed, double drainSeconds, int answered, int refused, Double firstRefusal,
                           Double lastRefusal) {
        String line(String label) {
            return String.format("%-32s answered %3d, failed %3d, drained in %6.1f s; calls answered %4d, refused (429) %4d"
                    + "%s", label, ok, failed, drainSeconds, answered, refused, refused == 0 ? ""
                    : String.format(", first 429 at %.1f s, last at %.1f s", firstRefusal, lastRefusal));
        }
    }

    /** The provider: 429 with Retry-After once its bucket of a minute's calls is empty; one call back a second. */
    static final class QuotaServer implements AutoCloseable {
        private final HttpServer server;
        private final double perSecond;
        private final double capacity;
        private final Duration latency;
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        private double tokens;
        private long refilledAt = System.nanoTime();
        private long startedAt = System.nanoTime();
        private long firstRefusal = -1;
        private long lastRefusal = -1;
        private long lastRequest = System.nanoTime();
        // answers go out after the provider's latency without holding a server thread
        private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();

        private QuotaServer(int perMinute, Duration latency) throws IOException {
            this.perSecond = perMinute / 60.0;
            this.capacity = perMinute;
            this.tokens = capacity;
            this.latency = latency;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(Executors.newFixedThreadPool(64));
            server.createContext("/", this::handle);
            server.start();
        }

        static QuotaServer start(int perMinute, Duration latency) throws IOException {
            return new QuotaServer(perMinute, latency);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** A full bucket and no calls counted (the agents' start-up checks are not the measurement). */
        synchronized void reset() {
            tokens = capacity;
            refilledAt = System.nanoTime();
            startedAt = refilledAt;
            answered.set(0);
            refused.set(0);
            firstRefusal = -1;
            lastRefusal = -1;
        }

        synchronized Double secondsToFirstRefusal() {
            return firstRefusal < 0 ? null : (firstRefusal - startedAt) / 1e9;
        }

        synchronized Double secondsToLastRefusal() {
            return lastRefusal < 0 ? null : (lastRefusal - startedAt) / 1e9;
        }

        /** Seconds until a call may go; 0 when one was taken now. */
        private synchronized double take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            if (firstRefusal < 0) {
                firstRefusal = now;
            }
            lastRefusal = now;
            return (1 - tokens) / perSecond;
        }

        synchronized boolean quietFor(Duration time) {
            return System.nanoTime() - lastRequest >= time.toNanos();
        }

        private void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                lastRequest = System.nanoTime();
            }
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/v1/models/")) {
                reply(exchange, 200, Map.of(), "{\"id\":\"gpt-bench\",\"object\":\"model\",\"owned_by\":\"bench\"}");
                return;
            }
            double wait = take();
            if (wait > 0) {
                refused.incrementAndGet();
                reply(exchange, 429, Map.of("retry-after", Long.toString((long) Math.ceil(wait))),
                        "{\"error\":{\"message\":\"Rate limit reached: 60 requests per minute\",\"type\":\"requests\","
                                + "\"code\":\"rate_limit_exceeded\"}}");
                return;
            }
            answers.schedule(() -> {
                answered.incrementAndGet();
                try {
                    reply(exchange, 200, Map.of(), """
                            {"id":"c","object":"chat.completion","created":1,"model":"gpt-bench",
                             "choices":[{"index":0,"message":{"role":"assistant","content":"done"},"finish_reason":"stop"}],
                             "usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}""");
                } catch (IOException e) {
                    exchange.close(); // the agent hung up
                }
            }, latency.toMillis(), TimeUnit.MILLISECONDS);
        }

        private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body)
                throws IOException {
            Map<String, String> all = new HashMap<>(headers);
            all.put("Content-Type", "application/json");
            all.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
            answers.shutdownNow();
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
