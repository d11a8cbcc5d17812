package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;

/**
 * How many pods an agent's Deployment runs. The seam for the rolling 24h budget (SPEC 5): a budget-aware
 * implementation returns 0 while the budget is exhausted.
 */
@FunctionalInterface
public interface DesiredReplicas {
    int of(ArkAgent agent);

    /** {@code spec.replicas} (default 1), no budget. */
    DesiredReplicas FROM_SPEC = agent -> agent.getSpec().effectiveReplicas();
}
