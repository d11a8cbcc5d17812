package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.queue.ResultDelivery;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Results waiting for their run's next reconcile. A result leaves the inbox only after the run's status holds it, so
 * a failed status write leaves it here for the retry.
 */
final class RunInbox {
    private final Map<ResourceID, ConcurrentLinkedQueue<ResultDelivery>> waiting = new ConcurrentHashMap<>();

    void add(ResourceID run, ResultDelivery result) {
        waiting.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).add(result);
    }

    List<ResultDelivery> peek(ResourceID run) {
        ConcurrentLinkedQueue<ResultDelivery> queue = waiting.get(run);
        return queue == null ? List.of() : List.copyOf(queue);
    }

    void remove(ResourceID run, List<ResultDelivery> applied) {
        waiting.computeIfPresent(run, (id, queue) -> {
            queue.removeAll(applied);
            return queue.isEmpty() ? null : queue;
        });
    }

    List<ResultDelivery> drop(ResourceID run) {
        ConcurrentLinkedQueue<ResultDelivery> queue = waiting.remove(run);
        return queue == null ? List.of() : List.copyOf(queue);
    }
}
