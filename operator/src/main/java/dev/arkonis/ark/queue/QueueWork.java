package dev.arkonis.ark.queue;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;

/**
 * The work a role's task stream holds: tasks no agent has taken yet (after the agents' group's last delivered entry)
 * and tasks agents hold (read, not acknowledged). What autoscaling and least-busy lookups compare; counting stops at a
 * cap, as both need only so much.
 */
public final class QueueWork {
    private final RedisCommands<String, String> redis;

    public QueueWork(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /** Tasks queued or in progress on {@code stream}, at most {@code cap}. */
    public long of(String stream, long cap) {
        String lastDelivered = null;
        long pending = 0;
        try {
            for (Object group : redis.xinfoGroups(stream)) {
                List<?> fields = (List<?>) group;
                if (RoleKeys.GROUP.equals(field(fields, "name"))) {
                    Object count = field(fields, "pending");
                    pending = count instanceof Number n ? n.longValue() : 0;
                    lastDelivered = String.valueOf(field(fields, "last-delivered-id"));
                }
            }
        } catch (RedisCommandExecutionException noStream) {
            return 0; // nothing was ever sent to it
        }
        if (pending >= cap) {
            return cap;
        }
        long waiting = lastDelivered == null ? redis.xlen(stream)
                : redis.xrange(stream, Range.from(Range.Boundary.excluding(lastDelivered), Range.Boundary.unbounded()),
                        Limit.from(cap - pending)).size();
        return Math.min(cap, pending + waiting);
    }

    private static Object field(List<?> fields, String name) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (name.equals(String.valueOf(fields.get(i)))) {
                return fields.get(i + 1);
            }
        }
        return null;
    }
}
