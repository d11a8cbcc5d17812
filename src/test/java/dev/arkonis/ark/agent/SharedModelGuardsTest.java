package dev.arkonis.ark.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RateLimits;
import dev.arkonis.ark.llm.models.ModelProfile;
import dev.arkonis.ark.llm.models.SharedModelKeys;
import dev.arkonis.ark.queue.AclUsers;
import dev.arkonis.ark.queue.AgentAcl;
import dev.arkonis.ark.queue.ModelBuckets;
import dev.arkonis.ark.queue.ModelCircuits;
import dev.arkonis.ark.queue.ModelKeys;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.telemetry.Telemetry;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agents' shared rate limits and circuits on a real Redis, each agent connected as its own ACL user granted exactly
 * its models' shared keys ({@link SharedModelKeys#aclPatterns}): what agents of one namespace share works through
 * those users, and no agent reaches another namespace's buckets or circuits, nor another model's.
 */
class SharedModelGuardsTest {
    private static final Instant FAR = Instant.now().plus(Duration.ofHours(1));
    /** The namespace's own quota for its ArkModel "fast" (gpt-4o behind it). */
    private static final ModelProfile FAST = new ModelProfile("fast", Provider.OPENAI, "gpt-4o", null, null, false,
            new RateLimits(60, null), null, null, 128_000L);
    /** A model of the operator's table with a quota every agent of the cluster shares. */
    private static final ModelProfile SHARED = new ModelProfile("gpt-4.1", Provider.OPENAI, "gpt-4.1", null, null,
            false, null, new RateLimits(60, null), null, 1_047_576L);
    private static final List<ModelProfile> CHAIN = List.of(FAST, SHARED);

    private static RedisFixture redis;
    private static AclUsers users;
    private final List<RedisConnections> open = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
        users = new AclUsers(redis.connection());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flushAll();
        redis.redis().scriptFlush();
        users.forget();
    }

    @AfterEach
    void close() {
        open.forEach(RedisConnections::close);
    }

    /** An agent of {@code namespace} whose role's stream is {@code <namespace>.blog.<role>}, as its own Redis user. */
    private RedisConnections agent(String namespace, String role) throws Exception {
        AgentAcl acl = AgentAcl.forAgent(namespace, "blog-" + role, namespace + ".blog." + role)
                .withKeys(SharedModelKeys.aclPatterns(namespace, CHAIN).toArray(String[]::new));
        String password = "pw-of-" + namespace + "-" + role;
        assertThat(users.set(acl, password).set()).isTrue();
        RedisConnections connections = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(acl.user()),
                Optional.of(password)));
        open.add(connections);
        return connections;
    }

    private static SharedModelGuards guards(String namespace, RedisConnections as) {
        SharedModelGuards guards = new SharedModelGuards(namespace, Clock.systemUTC(), Telemetry.none().metrics());
        guards.attach(as.shared(), Duration.ofMinutes(1));
        return guards;
    }

    @Test
    void theAgentsOfANamespaceShareTheirModelsLimitsAndCircuitsEachAsItsOwnUser() throws Exception {
        SharedModelGuards writer = guards("team-a", agent("team-a", "writer"));
        SharedModelGuards editor = guards("team-a", agent("team-a", "editor"));

        // 60 a minute: a minute's worth at once, then one a second for whoever asks next
        for (int i = 0; i < 60; i++) {
            assertThat(writer.gate(FAST).reserve(100, FAR)).as("call %d of the burst", i).isZero();
        }
        // (less than a second when the sixty took a while to ask: the line moves with the clock)
        assertThat(editor.gate(FAST).reserve(100, FAR).toMillis()).as("the editor queues behind the writer")
                .isPositive().isLessThanOrEqualTo(1000L);
        assertThat(redis.redis().get("ark:models:ns:team-a:fast:requests")).isNotNull();

        // a 429's Retry-After on the cluster's bucket holds back every agent drawing from it
        editor.gate(SHARED).pause(Duration.ofSeconds(3));
        assertThat(writer.gate(SHARED).reserve(100, FAR).toMillis()).isBetween(2900L, 4100L);

        // the writer's failures open the circuit for the editor too
        for (int i = 0; i < ModelCircuits.THRESHOLD; i++) {
            writer.circuit(FAST).failed("503 service unavailable");
        }
        assertThat(editor.circuit(FAST).refusal()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("circuit open after 3 failed calls (last: 503 service unavailable)"));
        assertThat(editor.circuit(SHARED).refusal()).as("another model's circuit").isEmpty();
    }

    @Test
    void anAgentCannotTouchAnotherNamespacesBucketsOrCircuitsNorAnotherModelsKeys() throws Exception {
        // team-b's agents use the same model names: their keys exist, and must stay as they are
        SharedModelGuards neighbour = guards("team-b", agent("team-b", "writer"));
        assertThat(neighbour.gate(FAST).reserve(100, FAR)).isZero();
        String theirs = redis.redis().get("ark:models:ns:team-b:fast:requests");

        RedisConnections writer = agent("team-a", "writer");
        RedisCommands<String, String> attacker = writer.shared().sync();
        ModelBuckets buckets = new ModelBuckets(writer.shared());
        ModelCircuits circuits = new ModelCircuits(writer.shared());
        ModelKeys otherNamespace = ModelKeys.namespace("team-b", "fast");
        ModelKeys otherModel = ModelKeys.namespace("team-a", "not-in-its-chain");
        ModelKeys unsharedModel = ModelKeys.cluster("gpt-4o"); // FAST's model has no cluster-wide quota
        for (ModelKeys keys : List.of(otherNamespace, otherModel, unsharedModel)) {
            for (Consumer<RedisCommands<String, String>> attempt : List.<Consumer<RedisCommands<String, String>>>of(
                    r -> buckets.reserve(keys, 60, 0, 1, Duration.ofMinutes(5)),
                    r -> buckets.pause(keys, 60, 0, Duration.ofMinutes(5)),
                    r -> circuits.failed(keys, "forged"),
                    r -> circuits.refusal(keys),
                    r -> circuits.succeeded(keys),
                    r -> r.get(keys.requests()),
                    r -> r.set(keys.requests(), "99999999999999"),
                    r -> r.del(keys.requests()),
                    r -> r.hset(keys.circuit(), "failures", "100"),
                    r -> r.eval("return redis.call('SET', '" + keys.requests() + "', '1')", ScriptOutputType.STATUS,
                            "ark:models:ns:team-a:fast:requests"))) {
                assertThatThrownBy(() -> attempt.accept(attacker)).as(keys.prefix())
                        .isInstanceOf(RedisCommandExecutionException.class)
                        .message().matches("NOPERM.*|.*can't access at least one of the keys.*");
            }
        }
        assertThat(redis.redis().get("ark:models:ns:team-b:fast:requests")).as("team-b's bucket is untouched")
                .isEqualTo(theirs);
        assertThat(redis.redis().exists(otherNamespace.circuit(), otherModel.requests(), unsharedModel.requests()))
                .isZero();
        assertThat(neighbour.circuit(FAST).refusal()).isEmpty();
    }
}
