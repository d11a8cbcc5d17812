package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.StepCacheStore;
import io.lettuce.core.RedisCommandExecutionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's step cache on a real Redis: under the role's prefix, within maxAge, bounded, fenced by the role's ACL. */
class RedisStepCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String WRITER = "team-a.blog.writer";
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

    private static String key(int n) {
        return String.format("%064x", n);
    }

    private static CacheWrite write(String role, int n, String output, Duration maxAge, Instant at) {
        return new CacheWrite("draft", role, key(n), maxAge, output, TokenUsage.of(30, 12), "run-" + n, at);
    }

    private static CacheLookup lookup(String role, int n, Duration maxAge) {
        return new CacheLookup("draft", role, key(n), maxAge);
    }

    @Test
    void anAnswerIsKeptUnderItsRolesPrefixAndFoundWithinItsAgeOnly() {
        StepCacheStore cache = new RedisStepCache(redis.connection(), 10).forTeam("team-a", "blog");
        cache.keep(write("writer", 1, "a post", Duration.ofMinutes(5), T0));

        assertThat(redis.redis().get(WRITER + ".cache." + key(1))).contains("\"output\":\"a post\"");
        assertThat(redis.redis().zrange(WRITER + ".cache", 0, -1)).containsExactly(key(1));
        long ttl = redis.redis().pttl(WRITER + ".cache." + key(1));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis());

        assertThat(cache.find(lookup("writer", 1, Duration.ofMinutes(5)), T0.plusSeconds(300))).hasValueSatisfying(a -> {
            assertThat(a.output()).isEqualTo("a post");
            assertThat(a.run()).isEqualTo("run-1");
            assertThat(a.at()).isEqualTo(T0);
            assertThat(a.tokens()).isEqualTo(TokenUsage.of(30, 12));
        });
        assertThat(cache.find(lookup("writer", 1, Duration.ofMinutes(1)), T0.plusSeconds(61)))
                .as("a step that accepts younger answers only").isEmpty();
        assertThat(cache.find(lookup("editor", 1, Duration.ofMinutes(5)), T0)).as("another role's").isEmpty();
        assertThat(new RedisStepCache(redis.connection(), 10).forTeam("team-b", "blog")
                .find(lookup("writer", 1, Duration.ofMinutes(5)), T0)).as("another namespace's").isEmpty();
    }

    @Test
    void eachRoleKeepsAtMostItsBoundAndTheOldestGoFirstAndNothingHuge() {
        StepCacheStore cache = new RedisStepCache(redis.connection(), 3).forTeam("team-a", "blog");
        for (int n = 1; n <= 5; n++) {
            cache.keep(write("writer", n, "answer " + n, Duration.ofHours(1), T0.plusSeconds(n)));
        }
        cache.keep(write("editor", 9, "edited", Duration.ofHours(1), T0));
        assertThat(redis.redis().zrange(WRITER + ".cache", 0, -1)).containsExactly(key(3), key(4), key(5));
        assertThat(redis.redis().exists(WRITER + ".cache." + key(1), WRITER + ".cache." + key(2))).isZero();
        assertThat(cache.find(lookup("writer", 5, Duration.ofHours(1)), T0)).isPresent();
        assertThat(cache.find(lookup("editor", 9, Duration.ofHours(1)), T0)).as("bounded per role").isPresent();

        cache.keep(write("writer", 7, "x".repeat(CacheWrite.MAX_OUTPUT_BYTES + 1), Duration.ofHours(1), T0));
        assertThat(cache.find(lookup("writer", 7, Duration.ofHours(1)), T0)).isEmpty();
        assertThat(redis.redis().pttl(WRITER + ".cache")).as("the index goes with its answers")
                .isPositive().isLessThanOrEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    void aRolesAgentReachesOnlyItsOwnRolesCache() throws Exception {
        StepCacheStore cache = new RedisStepCache(redis.connection(), 10).forTeam("team-a", "blog");
        cache.keep(write("writer", 1, "a post", Duration.ofHours(1), T0));
        cache.keep(write("editor", 2, "an edit", Duration.ofHours(1), T0));
        AgentAcl writer = AgentAcl.forAgent("team-a", "blog-writer", WRITER);
        new AclUsers(redis.connection()).set(writer, "pw-of-the-writer");
        try (RedisConnections agent = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(writer.user()),
                Optional.of("pw-of-the-writer")))) {
            assertThat(agent.shared().sync().get(WRITER + ".cache." + key(1))).contains("a post");
            assertThatThrownBy(() -> agent.shared().sync().get("team-a.blog.editor.cache." + key(2)))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("NOPERM");
        } finally {
            redis.redis().aclDeluser(writer.user());
        }
    }
}
