package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.NamespaceAgent;
import dev.arkonis.ark.flow.RegistryIndex;
import dev.arkonis.ark.queue.ResultDelivery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a reconcile of a run sees besides the run itself.
 *
 * @param results      results read for the run and not yet acknowledged, oldest first
 * @param waitingByRole what a role's waiting steps wait for (e.g. its agent is out of budget), by role
 * @param retryToken   the value of the retry annotation, or null
 * @param retrySteps   the steps the retry is narrowed to (empty = every failed and skipped step)
 * @param dataLosses   how many times Redis was found to have lost its data so far
 * @param startsFrom   for a run that has not started, the team it starts from as the API server has it (empty: none
 *                     of that name; always empty for a run that started)
 * @param steering     what people asked of the run: suspend, cancel, and the decisions its annotations hold
 * @param resumesFrom  for a run that has not started and names spec.resumeFrom, that run (empty: there is none)
 * @param namespace    the ArkAgents and ArkRegistries of the run's namespace, which routing, lookups and delegation
 *                     choose from and keep to
 * @param warming      agents (by name) that scaled to zero and have no ready pod: a step waiting on one is warming up
 */
record RunObservation(List<ResultDelivery> results, Map<String, String> waitingByRole, String retryToken,
                      Set<String> retrySteps, long dataLosses, Optional<ArkTeam> startsFrom, Steering steering,
                      Optional<EarlierRun> resumesFrom, Namespace namespace, Set<String> warming) {

    RunObservation {
        results = List.copyOf(results);
        waitingByRole = Map.copyOf(waitingByRole);
        retrySteps = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(retrySteps));
        warming = Set.copyOf(warming);
    }

    /** Without the namespace's agents and registries (tests of what does not use them). */
    RunObservation(List<ResultDelivery> results, Map<String, String> waitingByRole, String retryToken,
                   Set<String> retrySteps, long dataLosses, Optional<ArkTeam> startsFrom, Steering steering,
                   Optional<EarlierRun> resumesFrom) {
        this(results, waitingByRole, retryToken, retrySteps, dataLosses, startsFrom, steering, resumesFrom,
                Namespace.EMPTY, Set.of());
    }

    /** A namespace's ArkAgents and ArkRegistries as the operator's caches have them. */
    record Namespace(List<NamespaceAgent> agents, List<RegistryIndex.NamedRegistry> registries) {
        static final Namespace EMPTY = new Namespace(List.of(), List.of());

        Namespace {
            agents = List.copyOf(agents);
            registries = List.copyOf(registries);
        }
    }

    /**
     * What people asked of a run through its spec and annotations.
     *
     * @param decisions by the name part of their annotations ({@code <step>} or {@code <step>.<asking>}): who decided
     *                  (as the admission policy checked), approve or reject, and the comment; {@code at} is unset
     */
    record Steering(boolean suspend, boolean cancel, Map<String, ApprovalDecision> decisions) {
        static final Steering NONE = new Steering(false, false, Map.of());

        Steering {
            decisions = Map.copyOf(decisions);
        }
    }

    /** The retry annotation holds a value not acted on yet. */
    boolean retryAsked(String observedRetry) {
        return retryToken != null && !retryToken.equals(observedRetry);
    }
}
