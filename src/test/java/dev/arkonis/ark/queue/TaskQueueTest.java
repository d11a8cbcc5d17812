package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's side of a role's stream: sending once, withdrawing, surviving a Redis that lost its data. */
class TaskQueueTest {
    private static final String STREAM = "ns.team.writer";
    private static final String REPLIES = "ns.team.writer.results";
    private static final Duration KEEP = Duration.ofHours(1);
    private static RedisFixture redis;
    private RedisConnections connections;
    private TaskQueue queue;
    private TaskConsumer agent;

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
        queue = new TaskQueue(connections.shared());
        agent = new TaskConsumer(connections.shared(), connections.newConnection(), new RoleKeys(STREAM), "pod-a",
                StreamLimits.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        connections.close();
    }

    @Test
    void withdrawRemovesAQueuedTaskButNeverOneAnAgentHasTaken() {
        queue.dispatchOnce(STREAM, TaskMessage.of("r/taken/1", "work", REPLIES), KEEP);
        agent.joinGroup();
        List<Delivery> taken = agent.read(1, Duration.ofMillis(100));
        assertThat(taken).hasSize(1);
        queue.dispatchOnce(STREAM, TaskMessage.of("r/queued/1", "later", REPLIES), KEEP);

        assertThat(queue.withdraw(STREAM, "r/taken/1")).as("an agent works on it").isFalse();
        assertThat(queue.withdraw(STREAM, "r/queued/1")).isTrue();

        assertThat(redis.redis().xrange(STREAM, io.lettuce.core.Range.create("-", "+")))
                .singleElement().satisfies(m -> assertThat(m.getBody()).containsEntry("task", "r/taken/1"));
        assertThat(redis.redis().xpending(STREAM, RoleKeys.GROUP).getCount()).as("still held by the agent").isEqualTo(1);
        assertThat(queue.withdraw(STREAM, "r/never-sent/1")).isFalse();
    }

    @Test
    void sendingAgainIsANoOpAndSendingAfterRedisLostItsDataRecreatesTheAgentsGroup() {
        assertThat(queue.dispatchOnce(STREAM, TaskMessage.of("r/a/1", "one", REPLIES), KEEP)).isTrue();
        assertThat(queue.dispatchOnce(STREAM, TaskMessage.of("r/a/1", "one", REPLIES), KEEP)).isFalse();
        assertThat(redis.redis().xlen(STREAM)).isEqualTo(1);

        redis.flushAll(); // what a Redis restarted without persistence looks like
        assertThat(queue.dispatchOnce(STREAM, TaskMessage.of("r/a/1", "one", REPLIES), KEEP)).isTrue();
        assertThat(redis.redis().xinfoGroups(STREAM)).as("the agents' group exists again, from id 0").hasSize(1);
        agent.joinGroup();
        assertThat(agent.read(1, Duration.ofMillis(100))).singleElement()
                .satisfies(d -> assertThat(d.fields()).containsEntry("task", "r/a/1"));
    }
}
