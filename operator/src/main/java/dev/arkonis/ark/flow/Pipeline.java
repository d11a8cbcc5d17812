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

    private final TeamMode mode;

    private Pipeline(ArkTeamSpec spec, List<StepDefinition> steps, Template output, List<Problem> warnings,
                     DependencyGraph graph, Map<String, TeamRole> roles) {
        this.spec = spec;
        this.mode = TeamMode.of(spec);
        this.steps = List.copyOf(steps);
        this.byName = steps.stream().collect(Collectors.toMap(StepDefinition::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
        this.output = output;
        this.warnings = List.copyOf(warnings);
        this.graph = graph;
        this.roles = roles;
    }

    public static Pipeline compile(ArkTeamSpec spec, TeamValidator validator) throws InvalidTeamException {
        Validation validation = validator.validate(spec);
        if (!validation.isValid()) {
            throw new InvalidTeamException(validation.errors());
        }
        Map<String, TeamRole> roles = rolesOf(spec);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < spec.steps().size(); i++) {
            index.put(spec.steps().get(i).effectiveName(), i);
        }
        DependencyGraph graph = TeamValidator.graphOf(spec, index);
        List<StepDefinition> steps = new ArrayList<>();
        try {
            switch (TeamMode.of(spec)) {
                case DYNAMIC -> steps.add(new StepDefinition(0, spec.entry(), taskStep(spec.entry()), roles.get(spec.entry()),
                        List.of(), Map.of(), null, null, StepDefinition.Kind.ENTRY));
                case ROUTED -> steps.add(new StepDefinition(0, Router.STEP, taskStep(Router.ROLE), null, List.of(), Map.of(),
                        null, null, StepDefinition.Kind.ROUTE));
                case PIPELINE -> {
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
                }
            }
            Template output = spec.output() == null ? null : Template.parse(spec.output());
            return new Pipeline(spec, steps, output, validation.warnings(), graph, roles);
        } catch (TemplateException e) {
            throw new IllegalStateException("validated template failed to parse: " + e.getMessage(), e);
        }
    }

    /** The roles whose agents a team's runs use, as they run them (with the team's keys): its own, and a routed team's router. */
    public static Map<String, TeamRole> rolesOf(ArkTeamSpec spec) {
        Map<String, TeamRole> roles = new LinkedHashMap<>();
        spec.effectiveRoles().forEach(r -> roles.putIfAbsent(r.name(), r));
        if (spec.routing() != null) {
            TeamRole router = Router.role(spec.routing());
            roles.putIfAbsent(Router.ROLE, spec.apiKeys() == null ? router : router.withApiKeys(spec.apiKeys()));
        }
        return roles;
    }

    /** The step of a run whose task is the run's input: it runs as {@code role}. */
    private static PipelineStep taskStep(String role) {
        return new PipelineStep(role, null, null, null, null, null, null, null, null, null);
    }

    public TeamMode mode() {
        return mode;
    }

    /** The team's roles by name (a routed team's router among them). */
    public Map<String, TeamRole> roles() {
        return roles;
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
