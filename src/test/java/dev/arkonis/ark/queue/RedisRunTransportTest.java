package dev.arkonis.ark.queue;

import io.lettuce.core.Range;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The run path's transport over a real Redis, as the operator runs it. */
class RedisRunTransportTest extends RunTransportContract {
    private static RedisFixture redis;
    private RedisConnections connections;
    private RedisRunTransport transport;
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
        transport = RedisRunTransport.on(connections, "operator-0", Duration.ofHours(1), Duration.ofSeconds(30));
        agent = new TaskConsumer(connections.shared(), connections.newConnection(), new RoleKeys(STREAM), "pod-a",
                StreamLimits.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        connections.close();
    }

    @Override
    RunTransport transport() {
        return transport;
    }

    @Override
    int queued(String stream) {
        return redis.redis().xrange(stream, Range.create("-", "+")).size();
    }

    @Override
    String take(String stream) {
        agent.joinGroup();
        List<Delivery> taken = agent.read(1, Duration.ofMillis(100));
        return taken.get(0).fields().get("task");
    }

    @Override
    void answer(String taskId, String output, Map<String, String> copied) {
        redis.redis().xadd(REPLIES, TaskResult.succeeded(taskId, output, 3, 4, "pod-a", 1, copied).toFields());
    }

    @Override
    long pending(String resultStream) {
        return redis.redis().xpending(resultStream, ResultReader.GROUP).getCount();
    }

    @Override
    void delegate(String taskId, int call, String target, String prompt, Map<String, String> copied) {
        redis.redis().xadd(REPLIES, new DelegationCall(taskId, call, target, prompt, "pod-a", copied).toFields());
    }

    @Override
    List<String> replies(String key) {
        return redis.redis().lrange(key, 0, -1);
    }
}
