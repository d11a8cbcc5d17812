package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.TokenLedger;
import dev.arkonis.ark.queue.WindowUsage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.function.ToLongFunction;

/** Reads an agent's ledger (the one its pods write) against its maxDailyTokens. */
public interface AgentBudget {
    BudgetState of(ArkAgent agent, String queue);

    /** No Redis to read: every agent runs unbudgeted (operator tests that need no queue). */
    AgentBudget NONE = (agent, queue) -> BudgetState.UNKNOWN;

    /** @param limits each agent's maxDailyTokens, the operator's default for agents that set none */
    static AgentBudget ledger(StatefulRedisConnection<String, String> redis, Duration window,
            ToLongFunction<AgentSpec> limits) {
        return (agent, queue) -> {
            long limit = limits.applyAsLong(agent.getSpec());
            WindowUsage usage = new TokenLedger(redis, new RoleKeys(queue), window).usageAgainst(limit);
            return new BudgetState(limit, usage.usage(), usage.freesAt());
        };
    }
}
