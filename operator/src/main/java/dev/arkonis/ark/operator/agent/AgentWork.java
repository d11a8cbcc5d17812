package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.queue.QueueWork;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Optional;

/** Reads the work on an agent's queue: tasks queued or in progress, at most {@code cap}. */
@FunctionalInterface
public interface AgentWork {
    Optional<Long> of(String queue, long cap);

    /** No Redis to read: autoscaled agents keep what was last decided (operator tests that need no queue). */
    AgentWork NONE = (queue, cap) -> Optional.empty();

    static AgentWork on(StatefulRedisConnection<String, String> redis) {
        QueueWork work = new QueueWork(redis);
        return (queue, cap) -> Optional.of(work.of(queue, cap));
    }
}
