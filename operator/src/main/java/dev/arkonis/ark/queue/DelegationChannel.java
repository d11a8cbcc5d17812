package dev.arkonis.ark.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An agent's side of the delegate tool: the call goes out on the task's own result stream, and the agent waits on its
 * role's reply list for the answer, until the task's deadline. Both keys are under the role's stream key, so an agent
 * confined to its own keys can delegate.
 */
public final class DelegationChannel {
    /** Longest single blocking read: the wait is given up between them when the task is abandoned. */
    private static final Duration SLICE = Duration.ofSeconds(1);

    private final RedisCommands<String, String> redis;
    private final Supplier<StatefulRedisConnection<String, String>> blocking;
    private final RoleKeys keys;
    private final Clock clock;

    /** @param blocking opens a connection of its own for one wait, so the shared one never blocks */
    public DelegationChannel(StatefulRedisConnection<String, String> shared,
                             Supplier<StatefulRedisConnection<String, String>> blocking, RoleKeys keys, Clock clock) {
        this.redis = shared.sync();
        this.blocking = blocking;
        this.keys = keys;
        this.clock = clock;
    }

    /** Sends the call on the task's reply stream. */
    public void send(String replyTo, DelegationCall call) {
        redis.xadd(replyTo, call.toFields());
    }

    /**
     * The answer to call {@code call} of task {@code taskId}, or empty when none came before {@code deadline}.
     *
     * @throws InterruptedException when the task is abandoned while it waits
     */
    public Optional<String> await(String taskId, int call, Instant deadline) throws InterruptedException {
        String key = keys.reply(taskId, call);
        try (StatefulRedisConnection<String, String> connection = blocking.get()) {
            RedisCommands<String, String> commands = connection.sync();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("delegation wait abandoned");
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    return Optional.empty();
                }
                long seconds = Math.max(1, Math.min(SLICE.toSeconds(), left.toSeconds()));
                KeyValue<String, String> answer = commands.blpop(seconds, key);
                if (answer != null && answer.hasValue()) {
                    return Optional.of(answer.getValue());
                }
            }
        }
    }
}
