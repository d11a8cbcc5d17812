package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.TokenBudget;
import java.time.Instant;
import java.util.Optional;

/**
 * An agent's spending in the rolling window against its limit.
 *
 * @param limit   maxDailyTokens; 0 = no budget
 * @param freesAt when spending drops below the limit again, while it is exhausted
 */
public record BudgetState(long limit, TokenUsage usage, Optional<Instant> freesAt) {
    public static final BudgetState UNKNOWN = new BudgetState(0, TokenUsage.ZERO, Optional.empty());

    public TokenBudget budget() {
        return new TokenBudget(limit);
    }

    public boolean exhausted() {
        return budget().exhaustedBy(usage.totalTokens());
    }

    /** What the Budget printer column shows: usage against the limit, or usage alone without one. */
    public String column() {
        return budget().column(usage.totalTokens());
    }

    public String exhaustedMessage() {
        return budget().exhaustedMessage();
    }

    /** The same spending against another limit (the agent's spec changed); when it frees is then unknown. */
    public BudgetState against(long otherLimit) {
        return otherLimit == limit ? this : new BudgetState(otherLimit, usage, Optional.empty());
    }
}
