package dev.arkonis.ark.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.cli.AgentCommand;
import dev.arkonis.ark.http.HalfSentRequests;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class AgentCommandTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger agentLog = (Logger) LoggerFactory.getLogger("agent");

    @BeforeEach
    void captureLogs() {
        logs.start();
        agentLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        agentLog.detachAppender(logs);
    }

    @Test
    void aMissingVariableIsNamedAndTheExitCodeIsNonZero() {
        Map<String, String> env = env("redis://127.0.0.1:1");
        env.remove("AGENT_QUEUE");

        int exit = run(env, (e, t) -> TestProviders.echo());

        assertThat(exit).isNotZero();
        assertThat(messages()).contains("AGENT_QUEUE not set");
    }

    @Test
    void anUnreachableRedisIsReportedWithItsUrlButNotItsPassword() {
        int closedPort = RedisFixture.freePort();

        long started = System.nanoTime();
        int exit = run(env("redis://default:hunter2@127.0.0.1:" + closedPort), (e, t) -> TestProviders.echo());

        assertThat(exit).isNotZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(messages()).anySatisfy(message -> assertThat(message)
                .contains("redis://default:***@127.0.0.1:" + closedPort).contains("connection refused"));
        assertThat(String.join("\n", messages())).doesNotContain("hunter2");
    }

    @Test
    void aProviderSetUpErrorIsLoggedAndTheExitCodeIsNonZero() {
        int exit = run(env("redis://127.0.0.1:1"), (e, t) -> {
            throw new LlmException("OPENAI_API_KEY not set", true);
        });

        assertThat(exit).isNotZero();
        assertThat(messages()).contains("OPENAI_API_KEY not set");
    }

    @Test
    void runsUntilTerminatedServingHealthAndExitsZero() throws Exception {
        try (RedisFixture redis = RedisFixture.start()) {
            RunningAgent agent = RunningAgent.start(env(redis.url()));
            int healthPort = agent.healthPort();
            assertThat(get(healthPort, "/healthz")).isEqualTo(200);
            TaskQueue queue = new TaskQueue(redis.connection());
            queue.dispatch("ns.team.writer", TaskMessage.of("t1", "hi", "ns.team.results"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    queue.readResults("ns.team.results", "0", 10, Duration.ZERO).size() == 1);
            assertThat(body(healthPort, "/metrics")).containsPattern("ark_agent_tasks_total\\{status=\"succeeded\"} 1(\\.0)?\\n");

            assertThat(agent.stop()).isZero();
        }
    }

    @Test
    void healthAnswersWithinAProbeTimeoutWhileManyConnectionsSitHalfSent() throws Exception {
        try (RedisFixture redis = RedisFixture.start()) {
            RunningAgent agent = RunningAgent.start(env(redis.url()));
            try (HalfSentRequests held = HalfSentRequests.open(agent.healthPort, 64)) {
                String base = "http://127.0.0.1:" + agent.healthPort;
                assertThat(HalfSentRequests.probe(base + "/healthz").statusCode()).isEqualTo(200);
                assertThat(HalfSentRequests.probe(base + "/readyz").statusCode()).isEqualTo(200);
            }
            assertThat(agent.stop()).isZero();
        }
    }

    /** {@code ark agent} running on its own thread until terminated, ready on its health port. */
    private record RunningAgent(int healthPort, Runnable terminate, CompletableFuture<Integer> exit) {
        static RunningAgent start(Map<String, String> env) {
            int healthPort = RedisFixture.freePort();
            env.put("AGENT_HEALTH_PORT", Integer.toString(healthPort));
            AtomicReference<Runnable> terminate = new AtomicReference<>();
            AgentCommand command = new AgentCommand(env, (e, telemetry) -> TestProviders.echo(), terminate::set,
                    Clock.systemUTC());
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute());
            await().atMost(Duration.ofSeconds(10)).until(() -> get(healthPort, "/readyz") == 200);
            return new RunningAgent(healthPort, terminate.get(), exit);
        }

        int stop() throws Exception {
            terminate.run();
            return exit.get(10, TimeUnit.SECONDS);
        }
    }

    private int run(Map<String, String> env, AgentCommand.ProviderFactory providers) {
        return new CommandLine(new AgentCommand(env, providers, stop -> { }, Clock.systemUTC())).execute();
    }

    private static Map<String, String> env(String redisUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_QUEUE", "ns.team.writer");
        env.put("TASK_QUEUE_URL", redisUrl);
        env.put("POD_NAME", "writer-7d9f-abcde");
        env.put("AGENT_MODEL", "gpt-4o-mini");
        env.put("AGENT_HEALTH_PORT", "0");
        return env;
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static int get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
