package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.queue.ResultDelivery;
import java.util.List;

/** The results read for one run and not yet acknowledged, oldest first: the run's secondary resource. */
public record PendingResults(List<ResultDelivery> results) {
    public PendingResults {
        results = List.copyOf(results);
    }
}
