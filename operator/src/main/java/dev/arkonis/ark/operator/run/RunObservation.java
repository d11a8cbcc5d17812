package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkTeam;
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
 */
record RunObservation(List<ResultDelivery> results, Map<String, String> waitingByRole, String retryToken,
                      Set<String> retrySteps, long dataLosses, Optional<ArkTeam> startsFrom) {

    RunObservation {
        results = List.copyOf(results);
        waitingByRole = Map.copyOf(waitingByRole);
        retrySteps = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(retrySteps));
    }

    /** The retry annotation holds a value not acted on yet. */
    boolean retryAsked(String observedRetry) {
        return retryToken != null && !retryToken.equals(observedRetry);
    }
}
