package dev.arkonis.ark.queue;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher's side of the queue: sends tasks to a role's stream and reads results back.
 * Reading results with a block time holds this connection; give blocking readers their own.
 */
public final class TaskQueue {
    private final RedisCommands<String, String> redis;
    private final Set<String> groupsEnsured = ConcurrentHashMap.newKeySet();

    public TaskQueue(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /** Creates the agents' group on the stream (once per key for this instance). */
    public void ensureGroup(String streamKey) {
        if (!groupsEnsured.contains(streamKey)) {
            ConsumerGroups.ensure(redis, streamKey);
            groupsEnsured.add(streamKey);
        }
    }

    /** Adds the task to the stream (never trimmed here: queued tasks must not be lost) and returns its entry id. */
    public String dispatch(String streamKey, TaskMessage task) {
        ensureGroup(streamKey);
        return redis.xadd(streamKey, task.toFields());
    }

    /**
     * Results added to {@code replyTo} after {@code afterId} ("0" for all), oldest first.
     * Cost depends on {@code count}, not on the stream's history.
     *
     * @param block how long to wait for a first result; zero returns at once
     */
    public List<ResultEntry> readResults(String replyTo, String afterId, int count, Duration block) {
        XReadArgs args = XReadArgs.Builder.count(count);
        if (!block.isZero()) {
            args.block(block);
        }
        List<StreamMessage<String, String>> messages = redis.xread(args, StreamOffset.from(replyTo, afterId));
        List<ResultEntry> results = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            results.add(new ResultEntry(message.getId(), TaskResult.fromFields(message.getBody())));
        }
        return results;
    }
}
