package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.TokenUsage;
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

    public boolean exhausted() {
        return limit > 0 && usage.totalTokens() >= limit;
    }

    /** What the Budget printer column shows: usage against the limit, or usage alone without one. */
    public String column() {
        return limit > 0 ? usage.totalTokens() + "/" + limit : usage.totalTokens() + "/unlimited";
    }

    public String exhaustedMessage() {
        return "rolling 24h budget of " + limit + " tokens exhausted";
    }
}
