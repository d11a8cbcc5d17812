package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskConsumerTest {
    private static final String STREAM = "ns.team.writer";
    private static final String REPLIES = "ns.replies";
    private static RedisFixture redis;
    private RedisConnections connections;
    private TaskQueue queue;
    private TaskConsumer consumer;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        redis.flushAll();
        connections = RedisConnections.open(redis.url());
        StatefulRedisConnection<String, String> blocking = connections.newConnection();
        queue = new TaskQueue(connections.shared());
        consumer = new TaskConsumer(connections.shared(), blocking, new RoleKeys(STREAM), "pod-a", StreamLimits.DEFAULT);
        consumer.joinGroup();
    }

    @AfterEach
    void tearDown() {
        connections.close();
    }

    @Test
    void theGroupExistsBeforeAnyTaskAndIsCreatedOnceWhoeverComesFirst() {
        queue.ensureGroup(STREAM);
        consumer.joinGroup();

        assertThat(redis.redis().xinfoGroups(STREAM)).hasSize(1);
        assertThat(redis.redis().xlen(STREAM)).isZero();
    }

    @Test
    void finishingWritesOneResultAcknowledgesAndTrimsTheTaskStream() {
        queue.dispatch(STREAM, TaskMessage.of("t1", "p", REPLIES));
        queue.dispatch(STREAM, TaskMessage.of("t2", "p", REPLIES));
        List<Delivery> deliveries = consumer.read(2, Duration.ofMillis(100));

        assertThat(consumer.finish(deliveries.get(0), REPLIES, result("t1"))).isTrue();
        assertThat(consumer.finish(deliveries.get(0), REPLIES, result("t1"))).isFalse();
        assertThat(consumer.finish(deliveries.get(1), REPLIES, result("t2"))).isTrue();

        assertThat(queue.readResults(REPLIES, "0", 10, Duration.ZERO))
                .extracting(entry -> entry.result().task()).containsExactly("t1", "t2");
        assertThat(redis.redis().xpending(STREAM, RoleKeys.GROUP).getCount()).isZero();
        // only the last acknowledged entry may remain: the stream holds queued and in-flight tasks only
        assertThat(redis.redis().xlen(STREAM)).isLessThanOrEqualTo(1);
    }

    @Test
    void trimmingNeverRemovesPendingOrQueuedTasks() {
        queue.dispatch(STREAM, TaskMessage.of("old-pending", "p", REPLIES));
        queue.dispatch(STREAM, TaskMessage.of("done", "p", REPLIES));
        List<Delivery> read = consumer.read(2, Duration.ofMillis(100));
        queue.dispatch(STREAM, TaskMessage.of("queued", "p", REPLIES));

        consumer.finish(read.get(1), REPLIES, result("done"));

        assertThat(redis.redis().xrange(STREAM, io.lettuce.core.Range.create("-", "+")))
                .extracting(message -> message.getBody().get("task")).contains("old-pending", "queued");
    }

    @Test
    void deadLetterKeepsTheTaskFieldsAndWritesTheFailedResultAtomically() {
        queue.dispatch(STREAM, TaskMessage.of("t1", "p", REPLIES).withExtra(Map.of("run", "r1")));
        Delivery delivery = consumer.read(1, Duration.ofMillis(100)).get(0);

        boolean moved = consumer.deadLetter(delivery, "too many deliveries", REPLIES,
                TaskResult.failed("t1", "too many deliveries", 0, 0, "pod-a", 0, Map.of("run", "r1")));

        assertThat(moved).isTrue();
        List<StreamMessage<String, String>> dead = redis.redis().xrange(STREAM + ".dead",
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).singleElement().satisfies(message -> assertThat(message.getBody())
                .containsEntry("task", "t1").containsEntry("prompt", "p").containsEntry("run", "r1")
                .containsEntry("reason", "too many deliveries").containsEntry("deliveries", "1"));
        assertThat(queue.readResults(REPLIES, "0", 10, Duration.ZERO)).singleElement()
                .satisfies(entry -> assertThat(entry.result().status()).isEqualTo(TaskStatus.FAILED));
        assertThat(redis.redis().xpending(STREAM, RoleKeys.GROUP).getCount()).isZero();
    }

    @Test
    void reclaimTakesIdleEntriesWithTheirDeliveryCount() {
        queue.dispatch(STREAM, TaskMessage.of("t1", "p", REPLIES));
        redis.redis().xreadgroup(Consumer.from(RoleKeys.GROUP, "ghost"), XReadArgs.Builder.count(1),
                StreamOffset.lastConsumed(STREAM));

        List<Delivery> reclaimed = consumer.reclaim(Duration.ZERO, 5);

        assertThat(reclaimed).singleElement().satisfies(delivery -> {
            assertThat(delivery.fields()).containsEntry("task", "t1");
            assertThat(delivery.deliveries()).isEqualTo(2);
        });
    }

    @Test
    void removesOnlyConsumersWithoutHeartbeatAndWithoutPendingEntries() {
        queue.dispatch(STREAM, TaskMessage.of("t1", "p", REPLIES));
        redis.redis().xgroupCreateconsumer(STREAM, Consumer.from(RoleKeys.GROUP, "gone-idle"));
        redis.redis().xreadgroup(Consumer.from(RoleKeys.GROUP, "gone-holding"), XReadArgs.Builder.count(1),
                StreamOffset.lastConsumed(STREAM));
        redis.redis().xgroupCreateconsumer(STREAM, Consumer.from(RoleKeys.GROUP, "alive"));
        redis.redis().set(STREAM + ".agents.alive", "1");

        assertThat(consumer.removeGoneConsumers()).containsExactly("gone-idle");
        assertThat(consumerNames()).containsExactlyInAnyOrder("pod-a", "gone-holding", "alive");
    }

    private List<String> consumerNames() {
        return redis.redis().xinfoConsumers(STREAM, RoleKeys.GROUP).stream()
                .map(info -> String.valueOf(((List<?>) info).get(1))).toList();
    }

    private static TaskResult result(String task) {
        return TaskResult.succeeded(task, "out", 1, 1, "pod-a", 5, Map.of());
    }
}
