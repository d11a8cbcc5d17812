package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A team's pipeline, validated and compiled: what a run executes. Immutable, so a run can keep the one it started with. */
public final class Pipeline {
    private final ArkTeamSpec spec;
    private final List<StepDefinition> steps;
    private final Map<String, StepDefinition> byName;
    private final Map<String, TeamRole> roles;
    private final Template output;
    private final List<Problem> warnings;
    private final DependencyGraph graph;

    private Pipeline(ArkTeamSpec spec, List<StepDefinition> steps, Template output, List<Problem> warnings,
                     DependencyGraph graph) {
        this.spec = spec;
        this.steps = List.copyOf(steps);
        this.byName = steps.stream().collect(Collectors.toMap(StepDefinition::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
        this.output = output;
        this.warnings = List.copyOf(warnings);
        this.graph = graph;
        this.roles = spec.roleList().stream().collect(Collectors.toMap(TeamRole::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }

    public static Pipeline compile(ArkTeamSpec spec, TeamValidator validator) throws InvalidTeamException {
        Validation validation = validator.validate(spec);
        if (!validation.isValid()) {
            throw new InvalidTeamException(validation.errors());
        }
        Map<String, TeamRole> roles = spec.roleList().stream()
                .collect(Collectors.toMap(TeamRole::name, Function.identity()));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < spec.steps().size(); i++) {
            index.put(spec.steps().get(i).effectiveName(), i);
        }
        DependencyGraph graph = TeamValidator.graphOf(spec, index);
        List<StepDefinition> steps = new ArrayList<>();
        try {
            for (int i = 0; i < spec.steps().size(); i++) {
                PipelineStep step = spec.steps().get(i);
                Map<String, Template> inputs = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : step.templates().entrySet()) {
                    inputs.put(e.getKey(), Template.parse(e.getValue()));
                }
                Template condition = step.condition() == null ? null : Template.parse(step.condition());
                Template loop = step.loop() == null ? null : Template.parse(step.loop().condition());
                steps.add(new StepDefinition(i, step.effectiveName(), step, roles.get(step.role()),
                        step.dependencies(), inputs, condition, loop));
            }
            Template output = spec.output() == null ? null : Template.parse(spec.output());
            return new Pipeline(spec, steps, output, validation.warnings(), graph);
        } catch (TemplateException e) {
            throw new IllegalStateException("validated template failed to parse: " + e.getMessage(), e);
        }
    }

    public ArkTeamSpec spec() {
        return spec;
    }

    public List<StepDefinition> steps() {
        return steps;
    }

    public StepDefinition step(String name) {
        return byName.get(name);
    }

    public TeamRole role(String name) {
        return roles.get(name);
    }

    /** The run output template, or null when the run's output is its last step's output. */
    public Template output() {
        return output;
    }

    /** Steps that list the given one in their dependsOn. */
    public List<String> dependents(String step) {
        return graph.dependentsOf(step);
    }

    /** Every step that depends on the given one, directly or not. */
    public Set<String> descendants(String step) {
        return graph.descendants(step);
    }

    public List<Problem> warnings() {
        return warnings;
    }
}
