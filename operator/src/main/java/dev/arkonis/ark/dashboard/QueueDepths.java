package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisUnavailableException;
import dev.arkonis.ark.queue.RoleKeys;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How many tasks wait in each role's stream (XLEN) and how many agents hold unacknowledged (XPENDING). */
final class QueueDepths {
    /** A stream's numbers; null fields when Redis did not say. */
    record Depth(Long length, Long pending) {
    }

    private final Optional<RedisEndpoint> queue;

    QueueDepths(Optional<RedisEndpoint> queue) {
        this.queue = queue;
    }

    boolean configured() {
        return queue.isPresent();
    }

    /** The depth of each stream, or why there is none (Redis unreachable). */
    Map<String, Depth> read(List<String> streams) throws RedisUnavailableException {
        Map<String, Depth> depths = new LinkedHashMap<>();
        if (queue.isEmpty() || streams.isEmpty()) {
            return depths;
        }
        try (RedisConnections redis = RedisConnections.open(queue.get())) {
            RedisCommands<String, String> commands = redis.shared().sync();
            for (String stream : streams) {
                Long length = commands.xlen(stream);
                Long pending;
                try {
                    pending = commands.xpending(stream, RoleKeys.GROUP).getCount();
                } catch (io.lettuce.core.RedisCommandExecutionException noGroupYet) {
                    pending = 0L;
                }
                depths.put(stream, new Depth(length, pending));
            }
        }
        return depths;
    }
}
