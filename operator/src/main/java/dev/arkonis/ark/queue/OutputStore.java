package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.Names;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** Whole outputs too large for a run's status, kept in Redis for the CLI and for later steps' templates. */
public final class OutputStore {
    private final RedisCommands<String, String> redis;
    private final Duration keep;

    public OutputStore(StatefulRedisConnection<String, String> connection, Duration keep) {
        this.redis = connection.sync();
        this.keep = keep;
    }

    /** The key of a step's output, under its role's prefix. */
    public static String stepKey(String roleStream, String run, String step) {
        return Names.stepOutput(roleStream, run, step);
    }

    /** The key of an earlier iteration's output of a loop step (the status holds the latest). */
    public static String iterationKey(String roleStream, String run, String step, int iteration) {
        return stepKey(roleStream, run, step) + "." + iteration;
    }

    public void save(String key, String output) {
        redis.setex(key, Math.max(1, keep.toSeconds()), output);
    }

    public Optional<String> load(String key) {
        return Optional.ofNullable(redis.get(key));
    }

    public void delete(Collection<String> keys) {
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
    }
}
