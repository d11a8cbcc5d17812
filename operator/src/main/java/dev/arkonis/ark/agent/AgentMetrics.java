package dev.arkonis.ark.agent;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** A few Prometheus counters; rendered as text for /metrics. */
public final class AgentMetrics {
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final IntSupplier inFlight;

    AgentMetrics(IntSupplier inFlight) {
        this.inFlight = inFlight;
    }

    void taskSucceeded() {
        succeeded.increment();
    }

    void taskFailed() {
        failed.increment();
    }

    void taskDeadLettered() {
        deadLettered.increment();
    }

    void tokens(long input, long output) {
        inputTokens.add(input);
        outputTokens.add(output);
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

    public String prometheus() {
        return "# TYPE ark_agent_tasks_total counter\n"
                + "ark_agent_tasks_total{status=\"succeeded\"} " + succeeded.sum() + "\n"
                + "ark_agent_tasks_total{status=\"failed\"} " + failed.sum() + "\n"
                + "# TYPE ark_agent_dead_letters_total counter\n"
                + "ark_agent_dead_letters_total " + deadLettered.sum() + "\n"
                + "# TYPE ark_agent_tasks_in_flight gauge\n"
                + "ark_agent_tasks_in_flight " + inFlight.getAsInt() + "\n"
                + "# TYPE ark_agent_tokens_total counter\n"
                + "ark_agent_tokens_total{kind=\"input\"} " + inputTokens.sum() + "\n"
                + "ark_agent_tokens_total{kind=\"output\"} " + outputTokens.sum() + "\n";
    }
}
