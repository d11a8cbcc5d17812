package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.queue.ResultDelivery;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results waiting for their run's next reconcile, each once (a result claimed again is not added twice). A result
 * leaves the inbox only after the run's status holds it, so a failed status write leaves it here for the retry.
 */
final class RunInbox {
    private final Map<ResourceID, Map<String, ResultDelivery>> waiting = new ConcurrentHashMap<>();

    void add(ResourceID run, ResultDelivery result) {
        waiting.compute(run, (id, results) -> {
            Map<String, ResultDelivery> next = results == null ? new LinkedHashMap<>() : results;
            next.putIfAbsent(key(result), result);
            return next;
        });
    }

    List<ResultDelivery> peek(ResourceID run) {
        List<ResultDelivery>[] copy = new List[1];
        waiting.computeIfPresent(run, (id, results) -> {
            copy[0] = List.copyOf(results.values());
            return results;
        });
        return copy[0] == null ? List.of() : copy[0];
    }

    void remove(ResourceID run, Collection<ResultDelivery> applied) {
        waiting.computeIfPresent(run, (id, results) -> {
            applied.forEach(r -> results.remove(key(r)));
            return results.isEmpty() ? null : results;
        });
    }

    List<ResultDelivery> drop(ResourceID run) {
        Map<String, ResultDelivery> results = waiting.remove(run);
        return results == null ? List.of() : List.copyOf(results.values());
    }

    private static String key(ResultDelivery result) {
        return result.stream() + "/" + result.id();
    }
}
