package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkSettingsSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RegistryLookup;
import dev.arkonis.ark.api.SettingsRef;
import dev.arkonis.ark.api.TeamRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checks that need a team's whole file: the ArkAgents, ArkRegistries and ArkSettings in it, each on its own, and
 * what a team names of them (a lookup's capability and fallback, routing's registry and fallback, settingsRefs). A
 * file that holds no documents of a kind is taken to leave them to the cluster, and is not faulted for naming them.
 */
public final class TeamFileChecks {
    private static final Pattern TEMPERATURE = Pattern.compile("^(0(\\.[0-9]+)?|1(\\.0+)?)$");

    private final TeamValidator validator;

    public TeamFileChecks(TeamValidator validator) {
        this.validator = validator;
    }

    /** An ArkAgent, ArkRegistry or ArkSettings of the file: what reading found and what its own checks find. */
    public Validation check(SpecDocument<?> document) {
        List<Problem> errors = new ArrayList<>(document.problems());
        List<Problem> warnings = new ArrayList<>();
        Object spec = document.spec();
        if (spec instanceof AgentSpec agent) {
            Validation own = validator.validateAgent(agent);
            own.errors().stream().filter(p -> notRepeated(p, document.problems())).forEach(errors::add);
            warnings.addAll(own.warnings());
        } else if (spec instanceof ArkRegistrySpec registry) {
            if (!ArkRegistrySpec.NAMESPACE_SCOPED.equals(registry.effectiveScope())) {
                warnings.add(new Problem("spec.scope", "only namespace-scoped is implemented: the registry indexes the "
                        + "agents of its own namespace"));
            }
            if (registry.policy() != null && registry.policy().maxDepth() != null && registry.policy().maxDepth() < 1) {
                errors.add(new Problem("spec.policy.maxDepth", "must be at least 1, found " + registry.policy().maxDepth()));
            }
        } else if (spec instanceof ArkSettingsSpec settings) {
            if (settings.temperature() != null && !TEMPERATURE.matcher(settings.temperature()).matches()) {
                errors.add(new Problem("spec.temperature", "must be a number from 0.0 to 1.0 written as text (\"0.7\"), "
                        + "found \"" + settings.temperature() + "\""));
            }
        }
        return new Validation(errors, warnings);
    }

    /** What a team names that its file should hold, when the file holds documents of that kind. */
    public Validation crossCheck(ArkTeamSpec team, TeamFile file) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Set<String> agents = names(file.agents());
        Set<String> capabilities = new TreeSet<>();
        file.agents().stream().filter(a -> a.spec() != null)
                .forEach(a -> a.spec().capabilityList().forEach(c -> capabilities.add(c.id())));
        team.roleList().forEach(r -> (r.capabilities() == null ? List.<Capability>of() : r.capabilities())
                .forEach(c -> capabilities.add(c.id())));
        List<PipelineStep> steps = team.steps();
        for (int i = 0; i < steps.size(); i++) {
            RegistryLookup lookup = steps.get(i).registryLookup();
            String path = "spec.pipeline[" + i + "].registryLookup";
            if (lookup == null || agents.isEmpty()) {
                continue;
            }
            if (lookup.capability() != null && !lookup.capability().isBlank() && !capabilities.contains(lookup.capability())) {
                errors.add(new Problem(path + ".capability", "unknown capability \"" + lookup.capability()
                        + "\": no agent of this file has it (capabilities: " + list(capabilities) + ")"));
            }
            agentNamed(lookup.fallback(), agents, path + ".fallback", errors);
        }
        if (team.routing() != null) {
            Set<String> registries = names(file.registries());
            String registry = team.routing().registryRef() == null ? null : team.routing().registryRef().name();
            if (registry != null && !registry.isBlank() && !registries.contains(registry)) {
                Problem missing = new Problem("spec.routing.registryRef.name", "no ArkRegistry \"" + registry + "\" in "
                        + "this file" + (registries.isEmpty() ? ": ark run routes to the fallback" : " (registries: "
                        + list(registries) + ")"));
                (registries.isEmpty() ? warnings : errors).add(missing);
            }
            if (!agents.isEmpty()) {
                agentNamed(team.routing().fallback(), agents, "spec.routing.fallback", errors);
            }
        }
        Set<String> settings = names(file.settings());
        List<TeamRole> roles = team.roleList();
        for (int i = 0; i < roles.size(); i++) {
            List<SettingsRef> refs = roles.get(i).settingsRefs() == null ? List.of() : roles.get(i).settingsRefs();
            for (int r = 0; r < refs.size(); r++) {
                String name = refs.get(r) == null ? null : refs.get(r).name();
                if (name != null && !name.isBlank() && !settings.contains(name)) {
                    Problem missing = new Problem("spec.roles[" + i + "].settingsRefs[" + r + "].name", "no ArkSettings \""
                            + name + "\" in this file" + (settings.isEmpty() ? ": ark run runs the role without it"
                            : " (settings: " + list(settings) + ")"));
                    (settings.isEmpty() ? warnings : errors).add(missing);
                }
            }
        }
        return new Validation(errors, warnings);
    }

    private static void agentNamed(String name, Set<String> agents, String path, List<Problem> errors) {
        if (name != null && !name.isBlank() && !agents.contains(name)) {
            errors.add(new Problem(path, "no ArkAgent \"" + name + "\" in this file (agents: " + list(agents) + ")"));
        }
    }

    private static Set<String> names(List<? extends SpecDocument<?>> documents) {
        Set<String> names = new TreeSet<>();
        documents.forEach(d -> names.add(d.name()));
        return names;
    }

    private static String list(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static boolean notRepeated(Problem p, List<Problem> read) {
        return read.stream().noneMatch(r -> !r.path().isEmpty() && (p.path().equals(r.path())
                || p.path().startsWith(r.path() + ".") || p.path().startsWith(r.path() + "[")));
    }
}
