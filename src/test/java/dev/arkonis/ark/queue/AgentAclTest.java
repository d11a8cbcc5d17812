package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.TokenUsage;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's Redis user, as {@link AgentAcl} builds it and {@link AclUsers} sets it, on a real Redis: everything an
 * agent does works through it, nothing of another role or of Redis's administration does.
 */
class AgentAclTest {
    private static final String KEY = "team-a.blog.writer";
    private static final String OTHER = "team-a.blog.editor";
    private static final String PASSWORD = "s3cret-of-the-writer";
    private static RedisFixture redis;
    private static AclUsers users;

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
        // the agent's first call of each script is then an EVAL: both ways of running scripts are exercised
        redis.redis().scriptFlush();
        redis.redis().aclDeluser(writer().user());
        users.forget();
    }

    private static AgentAcl writer() {
        return AgentAcl.forAgent("team-a", "blog-writer", KEY);
    }

    private static RedisConnections as(String user, String password) throws RedisUnavailableException {
        return RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(user), Optional.of(password)));
    }

    @Test
    void theRulesResetEverythingFirstAndCarryThePasswordOnlyAsItsHash() {
        List<String> rules = writer().rules(PASSWORD);
        assertThat(rules.subList(0, 2)).containsExactly("reset", "on");
        assertThat(rules.get(2)).matches("#[0-9a-f]{64}");
        assertThat(String.join(" ", rules)).doesNotContain(PASSWORD).doesNotContain(">");
        assertThat(rules).contains("~" + KEY, "~" + KEY + ".*", "resetchannels", "-@all", "+xreadgroup", "+evalsha")
                .noneMatch(rule -> rule.equals("~*") || rule.startsWith("+@") || rule.startsWith("&"));
        assertThat(writer().user()).isEqualTo("ark-agent.team-a.blog-writer");
        assertThat(writer().withKeys("team-a.memo.*").keyPatterns())
                .containsExactly(KEY, KEY + ".*", "team-a.memo.*");
        assertThatThrownBy(() -> writer().withKeys("*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everythingAnAgentDoesWorksAsItsOwnUser() throws Exception {
        assertThat(users.set(writer(), PASSWORD).set()).isTrue();
        TaskQueue operator = new TaskQueue(redis.connection());
        String replyTo = KEY + ".results";
        try (RedisConnections agent = as(writer().user(), PASSWORD)) {
            assertThat(agent.shared().sync().ping()).isEqualTo("PONG");
            TaskConsumer consumer = new TaskConsumer(agent.shared(), agent.newConnection(), new RoleKeys(KEY), "pod-1",
                    StreamLimits.DEFAULT);
            consumer.joinGroup();
            consumer.heartbeat(Duration.ofSeconds(30));
            operator.dispatchOnce(KEY, TaskMessage.of("r/a/1", "first", replyTo), Duration.ofMinutes(5));
            operator.dispatchOnce(KEY, TaskMessage.of("r/b/1", "second", replyTo), Duration.ofMinutes(5));
            operator.dispatchOnce(KEY, TaskMessage.of("r/c/1", "third", replyTo), Duration.ofMinutes(5));
            List<Delivery> read = consumer.read(3, Duration.ofMillis(200));
            assertThat(read).hasSize(3);
            assertThat(consumer.length()).isEqualTo(3);
            assertThat(consumer.pending()).isEqualTo(3);
            assertThat(consumer.renew(read.stream().map(Delivery::entryId).toList())).hasSize(3);
            assertThat(consumer.finish(read.get(0), replyTo, TaskResult.succeeded("r/a/1", "ok", 1, 1, "pod-1", 5,
                    Map.of()))).isTrue();
            assertThat(consumer.requeue(read.get(1))).isTrue();
            assertThat(consumer.deadLetter(read.get(2), "too many deliveries", replyTo,
                    TaskResult.failed("r/c/1", "dead", 0, 0, "pod-1", 5, Map.of()))).isTrue();
            assertThat(consumer.read(3, Duration.ofMillis(200))).as("the task given back").hasSize(1);
            assertThat(consumer.reclaim(Duration.ZERO, 10)).hasSize(1);

            TokenLedger ledger = new TokenLedger(agent.shared(), new RoleKeys(KEY));
            ledger.record(List.of(TokenUsage.of(10, 5)));
            assertThat(ledger.usageAgainst(100).usage().totalTokens()).isEqualTo(15);

            // another pod of the role, gone without a word: its consumer is removed
            TaskConsumer gone = new TaskConsumer(agent.shared(), agent.newConnection(), new RoleKeys(KEY), "pod-0",
                    StreamLimits.DEFAULT);
            gone.joinGroup();
            assertThat(consumer.removeGoneConsumers()).containsExactly("pod-0");
            consumer.leave();
        }
        assertThat(operator.readResults(replyTo, "0", 10, Duration.ZERO)).extracting(e -> e.result().task())
                .containsExactly("r/a/1", "r/c/1");
    }

    @Test
    void aDelegateCallGoesOutAndItsAnswerComesBackThroughTheAgentsOwnUser() throws Exception {
        users.set(writer(), PASSWORD);
        RoleKeys keys = new RoleKeys(KEY);
        String replyTo = keys.results();
        try (RedisConnections agent = as(writer().user(), PASSWORD)) {
            DelegationChannel channel = new DelegationChannel(agent.shared(), agent::newConnection, keys,
                    java.time.Clock.systemUTC());
            channel.send(replyTo, new DelegationCall("r/writer/1", 1, "editor", "check the draft", "pod-1",
                    Map.of("run", "r", "step", "writer")));
            // the operator (Redis's default user here) answers on the role's reply list
            redis.redis().rpush(keys.reply("r/writer/1", 1), "checked");
            assertThat(channel.await("r/writer/1", 1, java.time.Instant.now().plusSeconds(5))).contains("checked");
            // another role's answers are out of reach
            redis.redis().rpush(OTHER + ".replies.r/editor/1.1", "theirs");
            RedisCommands<String, String> as = agent.shared().sync();
            assertThatThrownBy(() -> as.blpop(1, OTHER + ".replies.r/editor/1.1"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            assertThatThrownBy(() -> as.xadd(OTHER + ".results", new DelegationCall("r/editor/1", 1, "writer", "x",
                    "pod-1", Map.of()).toFields())).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("NOPERM");
        }
        assertThat(redis.redis().xrange(replyTo, io.lettuce.core.Range.create("-", "+"))).singleElement()
                .satisfies(entry -> assertThat(DelegationCall.fromFields(entry.getBody()))
                        .satisfies(call -> {
                            assertThat(call.target()).isEqualTo("editor");
                            assertThat(call.copied()).containsEntry("run", "r");
                        }));
        assertThat(redis.redis().llen(OTHER + ".replies.r/editor/1.1")).isEqualTo(1);
    }

    @Test
    void anAgentsUserCannotReadWriteOrDeleteAnotherRolesKeysNorRunRedis() throws Exception {
        users.set(writer(), PASSWORD);
        redis.redis().xadd(OTHER, Map.of("task", "theirs"));
        redis.redis().set(OTHER + ".sent.x", "1");
        try (RedisConnections agent = as(writer().user(), PASSWORD)) {
            RedisCommands<String, String> as = agent.shared().sync();
            for (Consumer<RedisCommands<String, String>> attempt : List.<Consumer<RedisCommands<String, String>>>of(
                    r -> r.xrange(OTHER, io.lettuce.core.Range.create("-", "+")),
                    r -> r.xadd(OTHER, Map.of("task", "forged")),
                    r -> r.xadd(OTHER + ".results", Map.of("task", "forged")),
                    r -> r.del(OTHER),
                    r -> r.get(OTHER + ".sent.x"),
                    r -> r.set(KEY + "x", "a look-alike key, not one of the role's"),
                    r -> r.eval("return redis.call('DEL', KEYS[1])", ScriptOutputType.INTEGER, OTHER),
                    r -> r.eval("return redis.call('DEL', '" + OTHER + "')", ScriptOutputType.INTEGER, KEY),
                    r -> r.keys("*"),
                    r -> r.flushall(),
                    r -> r.configGet("requirepass"),
                    r -> r.aclList(),
                    r -> r.clientList())) {
                // NOPERM, or (a script's own call of a key it did not declare) the script's error saying so
                assertThatThrownBy(() -> attempt.accept(as)).isInstanceOf(RedisCommandExecutionException.class)
                        .message().matches("NOPERM.*|.*can't access at least one of the keys.*");
            }
        }
        assertThat(redis.redis().xlen(OTHER)).as("the other role's stream is untouched").isEqualTo(1);
    }

    @Test
    void aRedisThatDoesNotLetTheOperatorManageUsersRefusesAndSaysWhy() throws Exception {
        // a managed Redis's operator: every key and data command, but no ACL administration
        redis.redis().aclSetuser("limited", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("pw").allKeys()
                .allChannels().allCommands().removeCategory(io.lettuce.core.AclCategory.ADMIN));
        try (RedisConnections limited = as("limited", "pw")) {
            AclUsers.Outcome outcome = new AclUsers(limited.shared()).set(writer(), PASSWORD);
            assertThat(outcome.set()).isFalse();
            assertThat(outcome.refusal()).startsWith("NOPERM").doesNotContain(PASSWORD);
        }
        assertThat(redis.redis().aclUsers()).as("no user was made").doesNotContain(writer().user());
    }

    @Test
    void aDeletedUserIsLockedOutAtOnce() throws Exception {
        users.set(writer(), PASSWORD);
        try (RedisConnections agent = as(writer().user(), PASSWORD)) {
            assertThat(agent.shared().sync().ping()).isEqualTo("PONG");
            users.delete(writer().user());
            assertThat(redis.redis().aclUsers()).doesNotContain(writer().user());
        }
        assertThatThrownBy(() -> as(writer().user(), PASSWORD)).isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("WRONGPASS").hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aUserLostWithRedisIsSetAgainOnceForgotten() throws Exception {
        users.set(writer(), PASSWORD);
        redis.redis().aclDeluser(writer().user()); // what a restart of Redis does to every ACL user
        users.forget();
        assertThat(users.set(writer(), PASSWORD).set()).isTrue();
        try (RedisConnections agent = as(writer().user(), PASSWORD)) {
            assertThat(agent.shared().sync().ping()).isEqualTo("PONG");
        }
        assertThat(users.set(writer(), "a-new-password").set()).isTrue();
        assertThatThrownBy(() -> as(writer().user(), PASSWORD)).as("the old password is gone")
                .isInstanceOf(RedisUnavailableException.class);
    }
}
