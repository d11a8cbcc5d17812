package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The work a role's stream holds, on a real Redis, as agents take and finish its tasks. */
class QueueWorkTest {
    private static final String KEY = "ns.team.role";
    private static RedisFixture redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
    }

    @Test
    void queuedAndHeldTasksCountAndFinishedOnesDoNot() throws Exception {
        QueueWork work = new QueueWork(redis.connection());
        assertThat(work.of(KEY, 100)).as("a stream nothing was sent to").isZero();
        TaskQueue operator = new TaskQueue(redis.connection());
        for (int i = 1; i <= 5; i++) {
            operator.dispatchOnce(KEY, TaskMessage.of("r/s" + i + "/1", "task " + i, KEY + ".results"), Duration.ofMinutes(5));
        }
        assertThat(work.of(KEY, 100)).as("five queued, no agent yet").isEqualTo(5);
        assertThat(work.of(KEY, 3)).as("counting stops at the cap").isEqualTo(3);

        try (RedisConnections connections = RedisConnections.open(redis.url())) {
            TaskConsumer agent = new TaskConsumer(connections.shared(), connections.newConnection(), new RoleKeys(KEY),
                    "pod-1", StreamLimits.DEFAULT);
            agent.joinGroup();
            List<Delivery> taken = agent.read(2, Duration.ofMillis(200));
            assertThat(taken).hasSize(2);
            assertThat(work.of(KEY, 100)).as("two held, three queued").isEqualTo(5);
            agent.finish(taken.get(0), KEY + ".results", TaskResult.succeeded("r/s1/1", "ok", 1, 1, "pod-1", 1, Map.of()));
            assertThat(work.of(KEY, 100)).as("one finished").isEqualTo(4);
            operator.withdraw(KEY, "r/s5/1");
            assertThat(work.of(KEY, 100)).as("one withdrawn").isEqualTo(3);
            agent.finish(taken.get(1), KEY + ".results", TaskResult.succeeded("r/s2/1", "ok", 1, 1, "pod-1", 1, Map.of()));
            for (Delivery rest : agent.read(10, Duration.ofMillis(200))) {
                agent.finish(rest, KEY + ".results", TaskResult.succeeded(rest.fields().get("task"), "ok", 1, 1, "pod-1", 1,
                        Map.of()));
            }
            assertThat(work.of(KEY, 100)).as("all done").isZero();
        }
    }
}
