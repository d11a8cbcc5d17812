package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A model's circuit on a real Redis, shared by two agents with their own clients. */
class ModelCircuitsTest {
    private static final Duration COOL_DOWN = Duration.ofMillis(800);
    private static RedisFixture redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void failuresOfOneAgentOpenTheCircuitForAllThenOneProbeClosesIt() {
        RedisClient other = RedisClient.create(redis.url());
        try {
            ModelCircuits agentA = new ModelCircuits(redis.connection(), COOL_DOWN);
            ModelCircuits agentB = new ModelCircuits(other.connect(StringCodec.UTF8), COOL_DOWN);
            ModelKeys gpt = ModelKeys.namespace("team-a", "gpt-4o");

            for (int i = 1; i < ModelCircuits.THRESHOLD; i++) {
                agentA.failed(gpt, "503 service unavailable");
                assertThat(agentB.refusal(gpt)).as("closed after %d failure(s)", i).isEmpty();
            }
            agentA.failed(gpt, "503 service unavailable");

            assertThat(agentB.refusal(gpt)).hasValueSatisfying(why -> assertThat(why)
                    .startsWith("circuit open after 3 failed calls (last: 503 service unavailable)"));
            // half-open after the cool-down: exactly one caller probes, the others are still refused
            await().atMost(Duration.ofSeconds(5)).until(() -> agentB.refusal(gpt).isEmpty());
            assertThat(agentA.refusal(gpt)).hasValueSatisfying(why -> assertThat(why).endsWith("being probed"));
            agentB.succeeded(gpt);

            assertThat(agentA.refusal(gpt)).as("closed for everyone").isEmpty();
            assertThat(agentA.refusal(ModelKeys.namespace("team-b", "gpt-4o"))).isEmpty();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void aFailedProbeOpensItAgain() {
        ModelCircuits circuits = new ModelCircuits(redis.connection(), COOL_DOWN);
        ModelKeys claude = ModelKeys.namespace("team-a", "claude");
        for (int i = 0; i < ModelCircuits.THRESHOLD; i++) {
            circuits.failed(claude, "connection refused");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> circuits.refusal(claude).isEmpty());

        circuits.failed(claude, "still refused");

        assertThat(circuits.refusal(claude)).hasValueSatisfying(why -> assertThat(why).contains("last: still refused"));
    }
}
