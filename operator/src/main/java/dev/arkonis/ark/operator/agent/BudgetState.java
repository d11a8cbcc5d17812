package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.TokenBudget;
import java.time.Instant;
import java.util.Optional;

/**
 * An agent's spending in the rolling window against its limits.
 *
 * @param budget  maxDailyTokens and maxDailyCost
 * @param freesAt when spending drops below the limits again, while it is exhausted
 */
public record BudgetState(TokenBudget budget, TokenUsage usage, Optional<Instant> freesAt) {
    public static final BudgetState UNKNOWN = new BudgetState(TokenBudget.NONE, TokenUsage.ZERO, Optional.empty());

    public boolean exhausted() {
        return budget.exhaustedBy(usage);
    }

    /** Whether spending reached {@code percent} % of a limit without exhausting it (0: never). */
    public boolean nearlySpent(int percent) {
        return percent > 0 && !exhausted() && budget.reached(usage, percent);
    }

    /** What the Budget printer column shows: usage against the limits, or usage alone without one. */
    public String column() {
        return budget.column(usage);
    }

    public String exhaustedMessage() {
        return budget.exhaustedMessage(usage);
    }

    /** The same spending against other limits (the agent's spec changed); when it frees is then unknown. */
    public BudgetState against(TokenBudget other) {
        return other.equals(budget) ? this : new BudgetState(other, usage, Optional.empty());
    }
}
