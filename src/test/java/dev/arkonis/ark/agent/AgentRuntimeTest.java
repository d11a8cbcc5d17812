package dev.arkonis.ark.agent;

import static dev.arkonis.ark.agent.TestAgents.QUEUE;
import static dev.arkonis.ark.agent.TestAgents.REPLIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultEntry;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskQueue;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import dev.arkonis.ark.queue.TokenLedger;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {
    private static RedisFixture redis;
    private TestAgents agents;
    private TaskQueue queue;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() {
        redis.flushAll();
        agents = new TestAgents(redis);
        queue = new TaskQueue(redis.connection());
    }

    @AfterEach
    void tearDown() {
        agents.close();
    }

    @Test
    void everyLogLineOfATaskCarriesItsTraceIdWhicheverThreadWritesIt() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT");
        root.addAppender(log);
        try {
            agents.start("pod-a", request -> {
                // a provider's retry line, written on the model call's own thread
                request.retries().retrying(new dev.arkonis.ark.llm.RetryNotice("openai", "http://llm/v1", "503", 2, 3,
                        Duration.ZERO));
                throw new dev.arkonis.ark.llm.LlmException("openai: 503 server error", false);
            });
            queue.dispatch(QUEUE, TaskMessage.of("run-9/write/1", "hello", REPLIES)
                    .withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .withExtra(Map.of("run", "run-9", "step", "write", "attempt", "1")));
            awaitResults(1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(List.copyOf(log.list))
                    // "openai: 503", not "503": the start line's Redis port may contain those digits
                    .filteredOn(e -> e.getFormattedMessage().contains("openai: 503"))
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                            .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
                            .containsEntry("run", "run-9").containsEntry("step", "write").containsEntry("attempt", "1"))
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getThreadName).doesNotHaveDuplicates());
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void aTaskInAResultOutWithEveryField() throws Exception {
        AgentRuntime agent = agents.start("pod-a", TestProviders.echo());

        queue.dispatch(QUEUE, TaskMessage.of("run-1/write/1", "hello", REPLIES)
                .withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .withExtra(Map.of("run", "run-1", "step", "write", "attempt", "1")));

        TaskResult result = awaitResults(1).get(0).result();
        assertThat(result.task()).isEqualTo("run-1/write/1");
        assertThat(result.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo("echo: hello");
        assertThat(result.error()).isEmpty();
        assertThat(result.inputTokens()).isEqualTo(13);
        assertThat(result.outputTokens()).isEqualTo(7);
        assertThat(result.agent()).isEqualTo("pod-a");
        assertThat(result.durationMs()).isBetween(0L, 5_000L);
        assertThat(result.copied()).isEqualTo(Map.of("run", "run-1", "step", "write", "attempt", "1"));
        assertThat(result.queueWait()).as("time in the stream, for the run's timeline").isNotNull()
                .isBetween(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(rawResults().get(0).getBody()).containsOnlyKeys("task", "status", "output", "error",
                "inputTokens", "outputTokens", "agent", "durationMs", "queueWaitMs", "rateLimitWaitMs", "run", "step", "attempt");

        Map<String, Object> group = info(redis.redis().xinfoGroups(QUEUE)).get(0);
        assertThat(group).containsEntry("name", RoleKeys.GROUP).containsEntry("pending", 0L);
        assertThat(consumerNames()).containsExactly("pod-a");
        assertThat(new TokenLedger(redis.connection(), new RoleKeys(QUEUE)).windowUsage(Duration.ofHours(24))
                .usage()).isEqualTo(TokenUsage.of(13, 7));
        assertThat(agent.metrics().succeeded()).isEqualTo(1);
        assertThat(agent.isReady()).isTrue();
    }

    @Test
    void tasksSentBeforeAnyAgentStartedAreNotSkipped() throws Exception {
        queue.dispatch(QUEUE, TaskMessage.of("early", "first", REPLIES));

        agents.start("pod-a", TestProviders.echo());

        assertThat(awaitResults(1).get(0).result().task()).isEqualTo("early");
    }

    @Test
    void aTaskHeldByADeadConsumerIsFinishedByAnotherAgentAndTheDeadConsumerIsRemoved() throws Exception {
        queue.dispatch(QUEUE, TaskMessage.of("t1", "orphan", REPLIES));
        redis.redis().xreadgroup(Consumer.from(RoleKeys.GROUP, "ghost-pod"), XReadArgs.Builder.count(1),
                StreamOffset.lastConsumed(QUEUE));
        assertThat(pending()).extracting(PendingMessage::getConsumer).containsExactly("ghost-pod");

        agents.start("pod-b", TestProviders.echo());

        TaskResult result = awaitResults(1).get(0).result();
        assertThat(result.agent()).isEqualTo("pod-b");
        assertThat(result.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(pending()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(consumerNames()).containsExactly("pod-b"));
        assertThat(agents.results(queue)).hasSize(1);
    }

    @Test
    void anAgentKilledMidTaskLosesItToALiveAgentExactlyOnce() throws Exception {
        TestProviders.Gate stuck = new TestProviders.Gate();
        AgentRuntime doomed = agents.start("pod-a", stuck);
        queue.dispatch(QUEUE, TaskMessage.of("t1", "work", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.calls() == 1);

        doomed.abort();
        agents.start("pod-b", TestProviders.echo());

        TaskResult result = awaitResults(1).get(0).result();
        assertThat(result.agent()).isEqualTo("pod-b");
        assertThat(result.output()).isEqualTo("echo: work");
        stuck.release();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(consumerNames()).containsExactly("pod-b"));
        assertThat(agents.results(queue)).hasSize(1);
        assertThat(doomed.isReady()).isFalse();
    }

    @Test
    void aLiveAgentKeepsATaskThatOutlastsTheVisibilityTimeout() throws Exception {
        TestProviders.Gate slow = new TestProviders.Gate();
        agents.start("pod-a", slow);
        queue.dispatch(QUEUE, TaskMessage.of("t1", "long", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.calls() == 1);
        TestProviders.Gate other = new TestProviders.Gate();
        AgentRuntime second = agents.start("pod-b", other);

        // 2.5 visibility timeouts: the claim is renewed, so pod-b never gets the task
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() ->
                other.calls() == 0 && pending().size() == 1 && pending().get(0).getConsumer().equals("pod-a"));
        slow.release();

        assertThat(awaitResults(1).get(0).result().agent()).isEqualTo("pod-a");
        assertThat(second.metrics().succeeded()).isZero();
        assertThat(consumerNames()).containsExactlyInAnyOrder("pod-a", "pod-b");
    }

    @Test
    void aTaskThatKeepsCrashingItsAgentsEndsInTheDeadLetterStream() throws Exception {
        queue.dispatch(QUEUE, TaskMessage.of("t1", "poison", REPLIES).withExtra(Map.of("run", "r1")));
        for (int crash = 1; crash <= 2; crash++) {
            TestProviders.Gate gate = new TestProviders.Gate();
            AgentRuntime agent = agents.start(agents.config("crash-" + crash).maxDeliveries(2).build(), gate);
            await().atMost(Duration.ofSeconds(5)).until(() -> gate.calls() == 1);
            agent.abort();
        }
        TestProviders.Gate survivor = new TestProviders.Gate();
        AgentRuntime last = agents.start(agents.config("pod-c").maxDeliveries(2).build(), survivor);

        TaskResult result = awaitResults(1).get(0).result();
        String reason = "task delivered 2 times without finishing; moved to " + QUEUE + ".dead";
        assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.error()).isEqualTo(reason);
        assertThat(result.copied()).containsEntry("run", "r1");
        assertThat(redis.redis().xrange(QUEUE + ".dead", Range.create("-", "+"))).singleElement()
                .satisfies(dead -> assertThat(dead.getBody()).containsEntry("task", "t1")
                        .containsEntry("prompt", "poison").containsEntry("reason", reason));
        assertThat(pending()).isEmpty();
        assertThat(survivor.calls()).isZero();
        dev.arkonis.ark.telemetry.Promlint.Reading metrics = dev.arkonis.ark.telemetry.Promlint.read(
                last.metrics().registry().scrape(null).text());
        assertThat(metrics.value("ark_dead_letters_total{stream=\"" + QUEUE + "\"}")).isEqualTo(1);
        assertThat(metrics.value("ark_agent_tasks_total{status=\"failed\"}")).isEqualTo(1);
    }

    @Test
    void aModelFailureIsAFailedResultAndIsNotRedelivered() throws Exception {
        agents.start("pod-a", request -> {
            throw new dev.arkonis.ark.llm.LlmException(request.prompt().equals("permanent")
                    ? "model not found: gpt-9" : "HTTP 503 after 3 attempts", request.prompt().equals("permanent"));
        });

        queue.dispatch(QUEUE, TaskMessage.of("t1", "permanent", REPLIES));
        queue.dispatch(QUEUE, TaskMessage.of("t2", "transient", REPLIES));

        List<ResultEntry> results = awaitResults(2);
        assertThat(results).extracting(entry -> entry.result().status()).containsOnly(TaskStatus.FAILED);
        assertThat(results).extracting(entry -> entry.result().error())
                .containsExactlyInAnyOrder("model not found: gpt-9", "HTTP 503 after 3 attempts");
        assertThat(pending()).isEmpty();
    }

    @Test
    void neverRunsOrReadsMoreThanTheConcurrencyCap() throws Exception {
        TestProviders.Gate gate = new TestProviders.Gate();
        agents.start(agents.config("pod-a").maxConcurrent(2).build(), gate);

        IntStream.range(0, 6).forEach(i -> queue.dispatch(QUEUE, TaskMessage.of("t" + i, "p" + i, REPLIES)));

        await().atMost(Duration.ofSeconds(5)).until(() -> gate.running() == 2);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() ->
                gate.running() == 2 && pending().size() == 2);
        gate.release();
        assertThat(awaitResults(6)).extracting(entry -> entry.result().status()).containsOnly(TaskStatus.SUCCEEDED);
        assertThat(gate.mostAtOnce()).isEqualTo(2);
    }

    @Test
    void aTaskEndsAtItsDeadline() throws Exception {
        TestProviders.Gate never = new TestProviders.Gate();
        agents.start("pod-a", never);

        queue.dispatch(QUEUE, TaskMessage.of("late", "p", REPLIES).withDeadline(Instant.now().minusSeconds(1)));
        queue.dispatch(QUEUE, TaskMessage.of("soon", "p", REPLIES).withDeadline(Instant.now().plusMillis(400)));

        List<ResultEntry> results = awaitResults(2);
        assertThat(results).extracting(entry -> entry.result().error()).containsOnly("deadline exceeded");
        assertThat(never.calls()).isEqualTo(1); // the task already past its deadline never reached the model
        await().atMost(Duration.ofSeconds(2)).until(() -> never.interrupted() == 1);
        assertThat(never.requests.get(0).deadline()).isNotNull();
        assertThat(pending()).isEmpty();
    }

    @Test
    void aTaskEndsAfterTheAgentTimeout() throws Exception {
        TestProviders.Gate never = new TestProviders.Gate();
        agents.start(agents.config("pod-a").timeout(Duration.ofSeconds(1)).build(), never);

        queue.dispatch(QUEUE, TaskMessage.of("t1", "p", REPLIES).withDeadline(Instant.now().plusSeconds(60)));

        TaskResult result = awaitResults(1).get(0).result();
        assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.error()).isEqualTo("timed out after 1s");
        assertThat(result.durationMs()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void gracefulShutdownFinishesInFlightTasksAndLeavesQueuedOnesQueued() throws Exception {
        TestProviders.Gate gate = new TestProviders.Gate();
        AgentRuntime agent = agents.start(agents.config("pod-a").maxConcurrent(1).build(), gate);
        queue.dispatch(QUEUE, TaskMessage.of("t1", "in flight", REPLIES));
        queue.dispatch(QUEUE, TaskMessage.of("t2", "queued", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.calls() == 1);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> agent.shutdown(Duration.ofSeconds(10)));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !stopped.isDone());
        gate.release();
        stopped.get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(agents.results(queue)).singleElement().satisfies(entry ->
                assertThat(entry.result().task()).isEqualTo("t1"));
        assertThat(gate.calls()).isEqualTo(1);
        assertThat(pending()).isEmpty();
        assertThat(consumerNames()).isEmpty(); // it left the group on the way out
        assertThat(readAsNewConsumer()).extracting(message -> message.getBody().get("task")).containsExactly("t2");
    }

    @Test
    void shutdownLeavesTasksUnfinishedAfterTheGraceUnacknowledgedForAnotherAgent() throws Exception {
        TestProviders.Gate never = new TestProviders.Gate();
        AgentRuntime agent = agents.start("pod-a", never);
        queue.dispatch(QUEUE, TaskMessage.of("t1", "long", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> never.calls() == 1);

        agent.shutdown(Duration.ofMillis(200));

        assertThat(agents.results(queue)).isEmpty();
        assertThat(pending()).extracting(PendingMessage::getConsumer).containsExactly("pod-a");
        agents.start("pod-b", TestProviders.echo());
        assertThat(awaitResults(1).get(0).result().agent()).isEqualTo("pod-b");
    }

    @Test
    void stopsTakingTasksOnceTheDailyBudgetIsSpent() throws Exception {
        AgentRuntime agent = agents.start(agents.config("pod-a").maxConcurrent(1).dailyLimit(25).build(),
                TestProviders.spending(10));

        IntStream.range(0, 5).forEach(i -> queue.dispatch(QUEUE, TaskMessage.of("t" + i, "p", REPLIES)));

        awaitResults(3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> agents.results(queue).size() == 3);
        assertThat(pending()).isEmpty();
        // the budget as this agent's /metrics shows it: spent past the limit, nothing left
        dev.arkonis.ark.telemetry.Promlint.Reading metrics = dev.arkonis.ark.telemetry.Promlint.read(
                agent.metrics().registry().scrape(null).text());
        assertThat(metrics.problems()).isEmpty();
        assertThat(metrics.value("ark_budget_used_tokens{stream=\"" + QUEUE + "\"}")).isEqualTo(30);
        assertThat(metrics.value("ark_budget_remaining_tokens{stream=\"" + QUEUE + "\"}")).isZero();
        assertThat(readAsNewConsumer()).extracting(message -> message.getBody().get("task"))
                .containsExactly("t3", "t4");
    }

    @Test
    void aTaskArrivingAfterTheBudgetIsSpentIsNotTakenEvenByAReadAlreadyWaiting() throws Exception {
        TestProviders.Gate gate = new TestProviders.Gate(30);
        agents.start(agents.config("pod-a").maxConcurrent(5).dailyLimit(20).build(), gate);
        // a linear pipeline: the operator sends the next step's task as soon as the previous result arrives
        queue.dispatch(QUEUE, TaskMessage.of("step-1", "p", REPLIES));
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.running() == 1);
        gate.release();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> agents.results(queue).size() == 1);
        queue.dispatch(QUEUE, TaskMessage.of("step-2", "p", REPLIES));
        queue.dispatch(QUEUE, TaskMessage.of("step-3", "p", REPLIES));

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> gate.calls() == 1);
        assertThat(new TokenLedger(redis.connection(), new RoleKeys(QUEUE)).usage().usage().totalTokens())
                .as("spending past the limit is bounded by what was in flight").isEqualTo(30);
        assertThat(pending()).as("nothing is held while the budget is spent").isEmpty();
        assertThat(readAsNewConsumer()).extracting(message -> message.getBody().get("task"))
                .containsExactlyInAnyOrder("step-2", "step-3");
    }

    @Test
    void everyLiveAgentIsAConsumerOfTheGroup() throws Exception {
        agents.start("pod-a", TestProviders.echo());
        agents.start("pod-b", TestProviders.echo());

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(consumerNames()).containsExactlyInAnyOrder("pod-a", "pod-b"));
        assertThat(redis.redis().exists(QUEUE + ".agents.pod-a", QUEUE + ".agents.pod-b")).isEqualTo(2);
    }

    private List<ResultEntry> awaitResults(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> agents.results(queue).size() >= count);
        List<ResultEntry> results = agents.results(queue);
        assertThat(results).hasSize(count);
        return results;
    }

    private List<StreamMessage<String, String>> rawResults() {
        return redis.redis().xrange(REPLIES, Range.create("-", "+"));
    }

    private List<PendingMessage> pending() {
        return redis.redis().xpending(QUEUE, RoleKeys.GROUP, Range.create("-", "+"), io.lettuce.core.Limit.from(100));
    }

    private List<StreamMessage<String, String>> readAsNewConsumer() {
        return redis.redis().xreadgroup(Consumer.from(RoleKeys.GROUP, "inspector"), XReadArgs.Builder.count(10),
                StreamOffset.lastConsumed(QUEUE));
    }

    private List<String> consumerNames() {
        return info(redis.redis().xinfoConsumers(QUEUE, RoleKeys.GROUP)).stream()
                .map(consumer -> String.valueOf(consumer.get("name"))).toList();
    }

    static List<Map<String, Object>> info(List<Object> reply) {
        return reply.stream().map(item -> {
            List<?> list = (List<?>) item;
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
            return map;
        }).toList();
    }
}
