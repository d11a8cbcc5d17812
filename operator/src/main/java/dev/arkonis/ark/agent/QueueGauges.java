package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.TaskConsumer;
import dev.arkonis.ark.telemetry.ArkMetrics;
import java.util.List;

/** The role's queue and budget as gauges read at each scrape; a Redis that does not answer leaves them out. */
final class QueueGauges {
    private QueueGauges() {
    }

    static void register(ArkMetrics metrics, String stream, TaskConsumer consumer, BudgetGate budget) {
        metrics.gauge("ark_queue_length", "Entries in the role's task stream (XLEN)", List.of("stream"), callback -> {
            try {
                callback.call(consumer.length(), stream);
            } catch (RuntimeException e) {
                // no value this scrape: Redis is away, and the agent's log says so
            }
        });
        metrics.gauge("ark_queue_pending", "Tasks delivered to agents and not yet acknowledged (XPENDING)",
                List.of("stream"), callback -> {
                    try {
                        callback.call(consumer.pending(), stream);
                    } catch (RuntimeException e) {
                        // as above
                    }
                });
        if (budget.budget().costLimit() != null) {
            java.math.BigDecimal costLimit = budget.budget().costLimit();
            metrics.gauge("ark_budget_used_usd", "US dollars the role spent in the rolling 24h window, as last read",
                    List.of("stream"), callback -> callback.call(cost(budget.lastUsage()), stream));
            metrics.gauge("ark_budget_remaining_usd", "US dollars left in the role's rolling 24h budget, as last read",
                    List.of("stream"), callback -> callback.call(Math.max(0, costLimit.doubleValue()
                            - cost(budget.lastUsage())), stream));
        }
        if (budget.budget().limit() > 0) {
            long limit = budget.budget().limit();
            metrics.gauge("ark_budget_used_tokens", "Tokens the role spent in the rolling 24h window, as last read",
                    List.of("stream"), callback -> callback.call(budget.lastUsed(), stream));
            metrics.gauge("ark_budget_remaining_tokens", "Tokens left in the role's rolling 24h budget, as last read",
                    List.of("stream"), callback -> callback.call(Math.max(0, limit - budget.lastUsed()), stream));
        }
    }

    private static double cost(dev.arkonis.ark.api.TokenUsage usage) {
        return usage.costUSD() == null ? 0 : usage.costUSD().doubleValue();
    }
}
