package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.Optional;

/**
 * What the operator last learned of an agent's ledger: the budget state, and whether the ledger could be read. When
 * Redis is unreachable the last known state is kept and {@code problem} says why it could not be read again.
 *
 * @param problem why the ledger could not be read, or null when the reading is fresh
 */
public record BudgetReading(BudgetState state, String problem) {

    public boolean reachable() {
        return problem == null;
    }

    public BudgetReading unreachable(String why) {
        return new BudgetReading(state, why);
    }

    /**
     * Before the first reading: what the agent's status last said (after a restart it has not changed).
     *
     * @param limit the agent's maxDailyTokens now
     */
    public static BudgetReading lastRecorded(ArkAgent agent, long limit) {
        AgentStatus status = agent.getStatus();
        TokenUsage usage = status == null || status.dailyTokenUsage() == null ? TokenUsage.ZERO : status.dailyTokenUsage();
        Optional<Instant> frees = status == null || status.budgetResetsAt() == null ? Optional.empty()
                : Optional.of(Instant.parse(status.budgetResetsAt()));
        return new BudgetReading(new BudgetState(limit, usage, frees), null);
    }
}
