package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A model's shared rate limit on a real Redis, drawn from by two agents, each with its own client. */
class ModelBucketsTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static RedisFixture redis;
    private RedisClient clientA;
    private RedisClient clientB;
    private ModelBuckets agentA;
    private ModelBuckets agentB;
    private final ModelKeys gpt = ModelKeys.namespace("team-a", "gpt-4o");

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void connect() {
        redis.flushAll();
        clientA = RedisClient.create(redis.url());
        clientB = RedisClient.create(redis.url());
        agentA = new ModelBuckets(connection(clientA));
        agentB = new ModelBuckets(connection(clientB));
    }

    @AfterEach
    void disconnect() {
        clientA.shutdown();
        clientB.shutdown();
    }

    private static StatefulRedisConnection<String, String> connection(RedisClient client) {
        return client.connect(StringCodec.UTF8);
    }

    @Test
    void twoAgentsDrawFromOneBucketAndTakeTheirTurnsInLine() {
        // 60 a minute: a minute's worth at once, then one a second, whoever asks
        for (int i = 0; i < 60; i++) {
            assertThat(agentA.reserve(gpt, 60, 0, 0, LONG)).as("call %d of the burst", i).isZero();
        }
        Duration a = agentA.reserve(gpt, 60, 0, 0, LONG);
        Duration b = agentB.reserve(gpt, 60, 0, 0, LONG);

        assertThat(a.toMillis()).isBetween(900L, 1000L);
        assertThat(b.toMillis()).as("the other agent queues behind").isBetween(1900L, 2000L);
    }

    @Test
    void tokensPerMinuteCountTheEstimateAndTheRealUsageCorrectsIt() {
        // 6,000 tokens a minute: 6,000 may go at once
        assertThat(agentA.reserve(gpt, 0, 6000, 6000, LONG)).isZero();
        assertThat(agentB.reserve(gpt, 0, 6000, 500, LONG).toMillis()).as("500 more: 5 s").isBetween(4900L, 5000L);
        // the first call used 100 tokens, not 6,000: the line moves up by 5,900 tokens (59 s)
        agentA.settle(gpt, 6000, 6000, 100);

        assertThat(agentB.reserve(gpt, 0, 6000, 100, LONG).toMillis()).isLessThanOrEqualTo(1000L);
    }

    @Test
    void aRetryAfterPausesEveryAgentOfTheBucket() {
        agentA.pause(gpt, 60, 6000, Duration.ofSeconds(3));

        assertThat(agentB.reserve(gpt, 60, 6000, 10, LONG).toMillis()).isBetween(2900L, 4100L);
        assertThat(new ModelBuckets(redis.connection()).reserve(ModelKeys.namespace("team-b", "gpt-4o"), 60, 6000,
                10, LONG)).as("another namespace's bucket").isZero();
    }

    @Test
    void aWaitLongerThanTheDeadlineAllowsTakesNoPlace() {
        agentA.pause(gpt, 60, 0, Duration.ofSeconds(5));

        assertThat(agentB.reserve(gpt, 60, 0, 0, Duration.ofSeconds(1))).isNull();
        // nothing was taken: the wait is still the pause's, not one more call later
        assertThat(agentB.reserve(gpt, 60, 0, 0, LONG).toMillis()).isBetween(3900L, 6000L);
    }

    @Test
    void whoeverWritesABucketCanStallItForFiveMinutesAtMost() {
        agentA.pause(gpt, 60, 0, Duration.ofHours(24));

        assertThat(agentB.reserve(gpt, 60, 0, 0, LONG)).isLessThanOrEqualTo(Duration.ofMillis(ModelBuckets.MAX_AHEAD_MS));
        assertThat(redis.redis().pttl(gpt.requests())).as("the key goes when nobody uses it").isPositive();
    }

    @Test
    void sharedKeysLiveOutsideEveryRolesPrefixAndTakeAnyModelName() {
        assertThat(ModelKeys.namespace("team-a", "llama3:8b*?").requests())
                .isEqualTo("ark:models:ns:team-a:llama3%3A8b%2A%3F:requests");
        assertThat(ModelKeys.cluster("gpt-4o").tokens()).isEqualTo("ark:models:cluster:gpt-4o:tokens");
        assertThat(ModelKeys.namespace("team-a", "gpt-4o").pattern()).isEqualTo("ark:models:ns:team-a:gpt-4o:*");
        // a stream key is <namespace>.<team>.<role>: made of Kubernetes names, so it never holds a colon
        assertThat(new RoleKeys("ark.models.x").tokens()).doesNotStartWith(ModelKeys.ROOT);
    }
}
