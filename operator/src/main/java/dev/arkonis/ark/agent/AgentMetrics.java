package dev.arkonis.ark.agent;

import dev.arkonis.ark.telemetry.ArkMetrics;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** What an agent counts, in the process's metrics (served on /metrics), with the totals tests and logs read. */
public final class AgentMetrics {
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final ArkMetrics metrics;
    private final String stream;

    AgentMetrics(IntSupplier inFlight, ArkMetrics metrics, String stream) {
        this.metrics = metrics;
        this.stream = stream;
        metrics.gauge("ark_agent_tasks_in_flight", "Tasks this agent is working on", List.of(),
                callback -> callback.call(inFlight.getAsInt()));
    }

    void taskSucceeded() {
        succeeded.increment();
        metrics.taskFinished("succeeded");
    }

    void taskFailed() {
        failed.increment();
        metrics.taskFinished("failed");
    }

    void taskDeadLettered() {
        deadLettered.increment();
        metrics.deadLettered(stream);
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public ArkMetrics registry() {
        return metrics;
    }
}
