package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RegistryLookup;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.gotemplate.Template;
import java.util.List;
import java.util.Map;

/**
 * A validated step with its templates parsed once and its place in the graph worked out.
 *
 * @param role the team role that runs it; null for a step whose agent is found when it starts (a registryLookup
 *             whose role is no role of the team, a routed run's step)
 */
public record StepDefinition(
        int index,
        String name,
        PipelineStep spec,
        TeamRole role,
        List<String> dependencies,
        Map<String, Template> inputs,
        Template condition,
        Template loopCondition,
        Kind kind) {

    /** Where a step comes from. */
    public enum Kind {
        /** A step of the team's pipeline. */
        STEP,
        /** A dynamic team's one step: the run's task for the entry role. */
        ENTRY,
        /** A routed team's one step: the router's choice, then the task on the agent chosen. */
        ROUTE,
        /** A step another step's model delegated with the built-in tool. */
        CHILD
    }

    public StepDefinition(int index, String name, PipelineStep spec, TeamRole role, List<String> dependencies,
                          Map<String, Template> inputs, Template condition, Template loopCondition) {
        this(index, name, spec, role, dependencies, inputs, condition, loopCondition, Kind.STEP);
    }

    /** Iterations a loop step runs at most; 1 for other steps. */
    public int maxIterations() {
        return spec.loop() == null ? 1 : spec.loop().effectiveMaxIterations();
    }

    /** The step's registryLookup, or null. */
    public RegistryLookup lookup() {
        return spec.registryLookup();
    }

    /** The label the step's role column shows: its role, or what its spec names. */
    public String roleName() {
        return role != null ? role.name() : spec.role();
    }
}
