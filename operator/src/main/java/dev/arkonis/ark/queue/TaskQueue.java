package dev.arkonis.ark.queue;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.lettuce.core.ScriptOutputType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher's side of the queue: sends tasks to a role's stream and reads results back.
 * Reading results with a block time holds this connection; give blocking readers their own.
 */
public final class TaskQueue {
    // Marks the task id as sent and adds it in one step, so a resend after a crash is a no-op.
    private static final LuaScript SEND_ONCE = new LuaScript("""
            if redis.call('SET', KEYS[2], '', 'NX', 'EX', ARGV[1]) then
              local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
              redis.call('SET', KEYS[2], id, 'EX', ARGV[1])
              return id
            end
            return false
            """, ScriptOutputType.VALUE);

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
     * Adds the task unless a task with the same id was already sent (within {@code remember}); returns whether it
     * was added. Lets a dispatcher that crashed between recording and sending simply send again.
     */
    public boolean dispatchOnce(String streamKey, TaskMessage task, Duration remember) {
        ensureGroup(streamKey);
        Map<String, String> fields = task.toFields();
        String[] args = new String[2 + fields.size() * 2];
        args[0] = Long.toString(Math.max(1, remember.toSeconds()));
        args[1] = task.task();
        int i = 2;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            args[i++] = field.getKey();
            args[i++] = field.getValue();
        }
        String id = SEND_ONCE.run(redis, new String[] {streamKey, sentMarker(streamKey, task.task())}, args);
        return id != null;
    }

    /** Removes a task that no agent has taken yet (a cancelled run); one already taken finishes and is ignored. */
    public void withdraw(String streamKey, String taskId) {
        String entryId = redis.get(sentMarker(streamKey, taskId));
        if (entryId != null && !entryId.isEmpty()) {
            List<io.lettuce.core.models.stream.PendingMessage> pending = redis.xpending(streamKey,
                    io.lettuce.core.Consumer.from(RoleKeys.GROUP, "-"), io.lettuce.core.Range.create(entryId, entryId),
                    io.lettuce.core.Limit.from(1));
            if (pending.isEmpty()) {
                redis.xdel(streamKey, entryId);
            }
        }
    }

    /** Under the role's key prefix, so the role's ACL covers it. */
    static String sentMarker(String streamKey, String taskId) {
        return streamKey + ".sent." + taskId;
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
