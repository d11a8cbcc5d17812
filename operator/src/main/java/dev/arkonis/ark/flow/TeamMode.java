package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkTeamSpec;

/** How a team works out what to do with a run's task. */
public enum TeamMode {
    /** A fixed DAG of steps ({@code pipeline}); steps may find their agent by capability ({@code registryLookup}). */
    PIPELINE,
    /** One task for the {@code entry} role, which hands work on to the roles it {@code canDelegate} to. */
    DYNAMIC,
    /** One router call picks, by capability, the registry's agent that does the task ({@code routing}). */
    ROUTED;

    public static TeamMode of(ArkTeamSpec spec) {
        if (spec.routing() != null) {
            return ROUTED;
        }
        if (spec.steps().isEmpty() && (spec.entry() != null
                || spec.roleList().stream().anyMatch(r -> !r.delegates().isEmpty()))) {
            return DYNAMIC;
        }
        return PIPELINE;
    }

    /** Whether a run's input is the task text itself, rather than values the pipeline's templates read. */
    public boolean takesATask() {
        return this != PIPELINE;
    }
}
