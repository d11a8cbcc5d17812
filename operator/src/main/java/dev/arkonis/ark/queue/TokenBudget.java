package dev.arkonis.ark.queue;

/**
 * The one rule of a rolling 24h token budget, for the agent that stops taking tasks, the operator that
 * scales the agent to 0 and {@code ark status} that shows it: spent when usage reaches the limit; 0 means none.
 */
public record TokenBudget(long limit) {
    public static final TokenBudget NONE = new TokenBudget(0);

    public boolean isSet() {
        return limit > 0;
    }

    public boolean exhaustedBy(long used) {
        return isSet() && used >= limit;
    }

    /** The words of the BudgetExceeded condition, which docs/troubleshooting.md tells users to look for. */
    public String exhaustedMessage() {
        return "rolling 24h budget of " + limit + " tokens exhausted";
    }

    /** Usage against the limit, as the Budget column shows it: {@code 1200/500000} or {@code 1200/unlimited}. */
    public String column(long used) {
        return used + "/" + (isSet() ? Long.toString(limit) : "unlimited");
    }
}
