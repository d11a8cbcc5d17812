package dev.arkonis.ark.agent;

import static dev.arkonis.ark.agent.TestAgents.QUEUE;
import static dev.arkonis.ark.agent.TestAgents.REPLIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultEntry;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.queue.TaskStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentRedisRestartTest {
    private RedisFixture redis;
    private TestAgents agents;

    @BeforeEach
    void setUp() {
        redis = RedisFixture.startWithAof();
        agents = new TestAgents(redis);
    }

    @AfterEach
    void tearDown() {
        agents.close();
        redis.close();
    }

    @Test
    void reconnectsAfterARedisRestartAndLosesNoTask() throws Exception {
        TestProviders.Gate gate = new TestProviders.Gate();
        AgentRuntime agent = agents.start(agents.config("pod-a").build(), request ->
                request.prompt().equals("across the restart")
                        ? gate.complete(request)
                        : TestProviders.echo().complete(request));
        TaskQueue before = new TaskQueue(redis.connection());
        before.dispatch(QUEUE, TaskMessage.of("before-1", "one", REPLIES));
        before.dispatch(QUEUE, TaskMessage.of("before-2", "two", REPLIES));
        before.dispatch(QUEUE, TaskMessage.of("in-flight", "across the restart", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> results().size() == 2 && gate.calls() == 1);

        String runBefore = runId();
        redis.restart();
        assertThat(runId()).isNotEqualTo(runBefore); // a new server process, state from the AOF
        gate.release();
        TaskQueue after = new TaskQueue(redis.connection());
        after.dispatch(QUEUE, TaskMessage.of("after-1", "three", REPLIES));
        after.dispatch(QUEUE, TaskMessage.of("after-2", "four", REPLIES));

        await().atMost(Duration.ofSeconds(20)).until(() -> results().size() >= 5);
        assertThat(results()).extracting(entry -> entry.result().task())
                .containsExactlyInAnyOrder("before-1", "before-2", "in-flight", "after-1", "after-2");
        assertThat(results()).extracting(entry -> entry.result().status()).containsOnly(TaskStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(5)).until(agent::isReady);
    }

    private String runId() {
        return redis.redis().info("server").lines().filter(line -> line.startsWith("run_id:")).findFirst()
                .orElseThrow();
    }

    private List<ResultEntry> results() {
        return new TaskQueue(redis.connection()).readResults(REPLIES, "0", 100, Duration.ZERO);
    }
}
