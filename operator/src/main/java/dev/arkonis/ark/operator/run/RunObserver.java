package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.StatusConditions;
import dev.arkonis.ark.queue.ResultDelivery;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import dev.arkonis.ark.api.Names;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/** Gathers what a run's reconcile sees: its results, its agents' budgets, the retry annotation, Redis's losses. */
final class RunObserver {
    static final String WAITING = "waiting: ";
    /** The informer of ArkAgents the run reconciler registers. */
    static final String AGENTS = "agents";

    /** Where a run's agents are looked up by namespace and name. */
    @FunctionalInterface
    interface Agents {
        Optional<ArkAgent> get(ResourceID id);
    }

    private final LongSupplier dataLosses;
    private volatile Agents agents = id -> Optional.empty();

    RunObserver(LongSupplier dataLosses) {
        this.dataLosses = dataLosses;
    }

    /** The cache the run reconciler's ArkAgent informer keeps; given once the informer exists. */
    void bind(Agents directory) {
        this.agents = directory;
    }

    /** @param roles the run's roles, whose agents are looked at (a new run has no recorded team yet) */
    RunObservation observe(ArkRun run, String team, Collection<String> roles, Context<ArkRun> context) {
        List<ResultDelivery> results = context.getSecondaryResource(PendingResults.class)
                .map(PendingResults::results).orElse(List.of()).stream()
                .sorted(Comparator.comparing(ResultDelivery::id, RunObserver::byEntryId))
                .toList();
        Set<ArkAgent> seen = new HashSet<>();
        for (String role : roles) {
            agents.get(new ResourceID(Names.agent(team, role), run.getMetadata().getNamespace())).ifPresent(seen::add);
        }
        return new RunObservation(results, waitingOnBudget(seen), annotation(run, Ark.ANNOTATION_RETRY),
                retrySteps(run), dataLosses.getAsLong());
    }

    /** Just the run's results, for a run that is done. */
    RunObservation results(ArkRun run, Context<ArkRun> context) {
        return observe(run, "", List.of(), context);
    }

    /** What a Running step says while its role's agent has no budget left. */
    static Map<String, String> waitingOnBudget(Set<ArkAgent> agents) {
        Map<String, String> waiting = new HashMap<>();
        for (ArkAgent agent : agents) {
            AgentStatus status = agent.getStatus();
            Map<String, String> labels = agent.getMetadata().getLabels();
            if (status == null || labels == null || !StatusConditions.isTrue(status.conditions(), Ark.CONDITION_BUDGET_EXCEEDED)) {
                continue;
            }
            status.conditions().stream().filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType())).findFirst()
                    .ifPresent(c -> waiting.put(labels.get(Ark.LABEL_ROLE), WAITING + "agent " + agent.getMetadata().getName()
                            + " is scaled to 0: " + c.getMessage()
                            + (status.budgetResetsAt() == null ? "" : "; it resumes at " + status.budgetResetsAt())));
        }
        return waiting;
    }

    /** Stream entry ids ({@code <ms>-<seq>}) in time order, across streams. */
    private static int byEntryId(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
    }

    private static long[] parts(String id) {
        int dash = id.indexOf('-');
        try {
            return dash < 0 ? new long[] {Long.parseLong(id), 0}
                    : new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return new long[] {Long.MAX_VALUE, 0};
        }
    }

    static String annotation(ArkRun run, String key) {
        Map<String, String> annotations = run.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Set<String> retrySteps(ArkRun run) {
        String steps = annotation(run, Ark.ANNOTATION_RETRY_STEPS);
        if (steps == null || steps.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(steps.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
