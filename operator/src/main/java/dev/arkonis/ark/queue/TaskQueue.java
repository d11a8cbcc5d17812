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

/**
 * The dispatcher's side of the queue: sends tasks to a role's stream and reads results back.
 * Reading results with a block time holds this connection; give blocking readers their own.
 */
public final class TaskQueue {
    /**
     * Marks the task id as sent and adds it in one step, so a resend after a crash is a no-op. The agents' group is
     * created first when it is missing (a Redis that lost its data), from id 0 so the agents see the task.
     * KEYS[1] stream, KEYS[2] sent marker; ARGV[1] marker ttl s, ARGV[2] task id, ARGV[3..] fields.
     */
    private static final LuaScript SEND_ONCE = new LuaScript("""
            if redis.call('SET', KEYS[2], '', 'NX', 'EX', ARGV[1]) then
              redis.pcall('XGROUP', 'CREATE', KEYS[1], '%s', '0', 'MKSTREAM')
              local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
              redis.call('SET', KEYS[2], id, 'EX', ARGV[1])
              return id
            end
            return false
            """.formatted(RoleKeys.GROUP), ScriptOutputType.VALUE);

    /**
     * Deletes a sent task unless a consumer of the agents' group holds it (group-wide XPENDING on its entry id).
     * KEYS[1] stream, KEYS[2] sent marker. Returns 1 when withdrawn, 0 when there was nothing to withdraw, -1 taken.
     */
    private static final LuaScript WITHDRAW = new LuaScript("""
            local id = redis.call('GET', KEYS[2])
            if not id or id == '' then return 0 end
            local ok, pending = pcall(redis.call, 'XPENDING', KEYS[1], '%s', id, id, 1)
            if ok and #pending > 0 then return -1 end
            return redis.call('XDEL', KEYS[1], id)
            """.formatted(RoleKeys.GROUP), ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;

    public TaskQueue(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /**
     * Puts the answer to a delegate call on the list its agent waits on (a key under the agent's own, see
     * {@link RoleKeys#reply}); it expires after {@code keep}, so an answer nobody takes any more does not stay.
     */
    public void reply(String key, String answer, Duration keep) {
        redis.rpush(key, answer);
        redis.pexpire(key, keep.toMillis());
    }

    /** Creates the agents' group on the stream (BUSYGROUP, the usual case, is fine). */
    public void ensureGroup(String streamKey) {
        ConsumerGroups.ensure(redis, streamKey);
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

    /**
     * Removes a task that no agent has taken yet (a cancelled run, a step given up); returns whether it did. A task an
     * agent already holds is left alone: it finishes and its result is ignored.
     */
    public boolean withdraw(String streamKey, String taskId) {
        Long outcome = WITHDRAW.run(redis, new String[] {streamKey, sentMarker(streamKey, taskId)});
        return outcome != null && outcome == 1;
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
