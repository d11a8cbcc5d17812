package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;

/**
 * An agent's status from its Deployment and its budget reading. Ready is True when at least one pod is ready: with no
 * ready pod the role's queue is not being consumed, whatever the reason (starting, crashing, scaled to 0).
 */
final class AgentStatusBuilder {
    private AgentStatusBuilder() {
    }

    /**
     * @param problems    why the spec is refused (then it runs no pods); empty when it is not
     * @param credentials the agent's Redis credentials as this reconcile granted them
     */
    static AgentStatus build(ArkAgent agent, Deployment deployment, String queue, BudgetReading reading,
            List<Problem> problems, QueueGrant credentials, Instant now) {
        return build(agent, deployment, queue, reading, problems, credentials,
                new Autoscale(agent.getSpec().effectiveReplicas(), null, "spec.replicas", java.util.Optional.empty()), now);
    }

    /** @param scale the replicas decided now (spec.replicas, autoscaling, the budget) */
    static AgentStatus build(ArkAgent agent, Deployment deployment, String queue, BudgetReading reading,
            List<Problem> problems, QueueGrant credentials, Autoscale scale, Instant now) {
        AgentStatus old = agent.getStatus();
        BudgetState budget = reading.state();
        int desired = deployment == null || deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                ? 0 : deployment.getSpec().getReplicas();
        int ready = deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
                ? 0 : deployment.getStatus().getReadyReplicas();
        boolean isReady = ready >= 1;
        String reason = isReady ? "PodsReady" : desired == 0 ? "ScaledToZero" : "PodsNotReady";
        boolean asleep = desired == 0 && scale.replicas() == 0 && scale.idleSince() != null;
        String message = asleep ? "idle: autoscaling scaled it to zero; a task for it starts a pod"
                : desired == 0 ? "the Deployment runs 0 pods" : ready + " of " + desired + " agent pods ready";
        Long generation = agent.getMetadata().getGeneration();
        List<Condition> conditions = StatusConditions.set(old == null ? null : old.conditions(), Ark.CONDITION_READY,
                isReady, reason, message, generation, now);
        conditions = StatusConditions.set(conditions, Ark.CONDITION_BUDGET_EXCEEDED, budget.exhausted(),
                budget.exhausted() ? "BudgetExhausted" : budget.limit() > 0 ? "WithinBudget" : "NoBudget",
                budget.exhausted() ? budget.exhaustedMessage()
                        : budget.limit() > 0 ? budget.usage().totalTokens() + " of " + budget.limit()
                        + " tokens used in the rolling 24h window" : "no maxDailyTokens set",
                generation, now);
        conditions = ledger(conditions, reading, generation, now);
        conditions = valid(conditions, problems, generation, now);
        conditions = credentials.condition(conditions, generation, now);
        conditions = ReconcileErrors.succeeded(conditions, generation, now);
        return AgentStatus.builder().replicas(desired).readyReplicas(ready).queue(queue)
                .dailyTokenUsage(budget.usage()).budget(budget.column())
                .budgetResetsAt(budget.exhausted() ? budget.freesAt().map(Instant::toString).orElse(null) : null)
                .conditions(conditions).observedGeneration(generation).desiredReplicas(scale.replicas())
                .idleSince(scale.idleSince() == null ? null : scale.idleSince().toString()).build();
    }

    /** Said only once the spec has been refused: then False with every problem, True again once it is mended. */
    private static List<Condition> valid(List<Condition> conditions, List<Problem> problems, Long generation, Instant now) {
        boolean mentioned = conditions.stream().anyMatch(c -> Ark.CONDITION_VALID.equals(c.getType()));
        if (problems.isEmpty() && !mentioned) {
            return conditions;
        }
        return StatusConditions.set(conditions, Ark.CONDITION_VALID, problems.isEmpty(),
                problems.isEmpty() ? "SpecValid" : "Refused",
                problems.isEmpty() ? "the spec is valid" : "refused, so it runs no pods: "
                        + String.join("; ", problems.stream().map(Problem::toString).toList()), generation, now);
    }

    /** Said only once the ledger has been unreachable: then False with why, True again when it can be read. */
    private static List<Condition> ledger(List<Condition> conditions, BudgetReading reading, Long generation, Instant now) {
        boolean mentioned = conditions.stream().anyMatch(c -> Ark.CONDITION_LEDGER_REACHABLE.equals(c.getType()));
        if (reading.reachable() && !mentioned) {
            return conditions;
        }
        return StatusConditions.set(conditions, Ark.CONDITION_LEDGER_REACHABLE, reading.reachable(),
                reading.reachable() ? "LedgerRead" : "RedisUnavailable",
                reading.reachable() ? "the token ledger in Redis is read again"
                        : reading.problem() + "; the budget shows the last known usage", generation, now);
    }
}
