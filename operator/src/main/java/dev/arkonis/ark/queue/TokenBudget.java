package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.api.Usd;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rule of a rolling 24h budget, for the agent that stops taking tasks, the operator that scales the agent to
 * 0 and {@code ark status} that shows it: spent when the window's tokens reach the token limit or its cost reaches the
 * cost limit (maxDailyTokens, maxDailyCost); 0 or none means no such limit.
 *
 * @param limit     tokens; 0 = none
 * @param costLimit US dollars, from the models' prices; null = none
 */
public record TokenBudget(long limit, BigDecimal costLimit) {
    public static final TokenBudget NONE = new TokenBudget(0);
    private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);

    public TokenBudget {
        costLimit = costLimit == null || costLimit.signum() <= 0 ? null : costLimit.stripTrailingZeros();
    }

    public TokenBudget(long limit) {
        this(limit, null);
    }

    public boolean isSet() {
        return limit > 0 || costLimit != null;
    }

    /** Whether the token limit is reached (the cost is not looked at). */
    public boolean exhaustedBy(long used) {
        return limit > 0 && used >= limit;
    }

    public boolean exhaustedBy(TokenUsage usage) {
        return exhaustedBy(usage.totalTokens()) || costSpent(usage, BigDecimal.ONE);
    }

    /** The words of the BudgetExceeded condition for the token limit, which docs/troubleshooting.md tells users to look for. */
    public String exhaustedMessage() {
        return "rolling 24h budget of " + limit + " tokens exhausted";
    }

    /** The words of the BudgetExceeded condition for whichever limit {@code usage} reached. */
    public String exhaustedMessage(TokenUsage usage) {
        return exhaustedBy(usage.totalTokens()) || costLimit == null ? exhaustedMessage()
                : "rolling 24h budget of " + Usd.format(costLimit) + " exhausted";
    }

    /** Whether usage reached {@code percent} % of either limit. */
    public boolean reached(TokenUsage usage, int percent) {
        BigDecimal share = BigDecimal.valueOf(percent).movePointLeft(2);
        return (limit > 0 && BigDecimal.valueOf(usage.totalTokens()).compareTo(share.multiply(BigDecimal.valueOf(limit))) >= 0)
                || costSpent(usage, share);
    }

    /** What a BudgetWarning says: the share reached, and of which limit. */
    public String warningMessage(TokenUsage usage, int percent) {
        boolean tokens = limit > 0 && BigDecimal.valueOf(usage.totalTokens())
                .compareTo(BigDecimal.valueOf(percent).movePointLeft(2).multiply(BigDecimal.valueOf(limit))) >= 0;
        return percent + "% of the rolling 24h budget used: " + (tokens || costLimit == null
                ? usage.totalTokens() + " of " + limit + " tokens"
                : Usd.format(usage.costUSD()) + " of " + Usd.format(costLimit));
    }

    /** Between the tokens and the cost in the Budget column, for those who read it back (the dashboard). */
    public static final String COST_SEPARATOR = ", ";

    /** Usage against the limit, as the Budget column shows it: {@code 1200/500000} or {@code 1200/unlimited}. */
    public String column(long used) {
        return used + "/" + (limit > 0 ? Long.toString(limit) : "unlimited");
    }

    /** The column, with the cost against its limit when there is one: {@code 1200/500000, $1.20/$5}. */
    public String column(TokenUsage usage) {
        return column(usage.totalTokens()) + (costLimit == null ? ""
                : COST_SEPARATOR + (usage.costUSD() == null ? "$0" : Usd.format(usage.costUSD())) + "/" + Usd.format(costLimit));
    }

    /** The cost limit in billionths of a dollar, as the ledger counts; 0 = none. */
    long costLimitNanos() {
        return costLimit == null ? 0 : toNanos(costLimit);
    }

    /** Billionths of a dollar, rounded up: a call is never counted as cheaper than it was. */
    static long toNanos(BigDecimal usd) {
        return usd.multiply(NANOS).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static BigDecimal fromNanos(long nanos) {
        return BigDecimal.valueOf(nanos).divide(NANOS).stripTrailingZeros();
    }

    private boolean costSpent(TokenUsage usage, BigDecimal share) {
        return costLimit != null && usage.costUSD() != null && usage.costUSD().compareTo(share.multiply(costLimit)) >= 0;
    }
}
