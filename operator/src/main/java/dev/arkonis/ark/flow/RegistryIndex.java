package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * What a namespace's ArkRegistries make of its ArkAgents, the same for {@code ark run} (a file's) and the operator (a
 * namespace's): an agent is indexed when it declares capabilities; a run may choose among the agents no team owns and
 * its own team's, and other teams' only when the policy that applies allows it ({@code allowCrossTeam}). The policy
 * that applies is the registry a routed team names, else the namespace's registries together, the strictest of them
 * winning (the smallest {@code maxDepth}; cross-team only when every one allows it).
 */
public final class RegistryIndex {
    private RegistryIndex() {
    }

    /** An ArkRegistry by name. */
    public record NamedRegistry(String name, ArkRegistrySpec spec) {
        Integer maxDepth() {
            return spec == null || spec.policy() == null ? null : spec.policy().maxDepth();
        }

        boolean allowsCrossTeam() {
            return spec != null && spec.policy() != null && Boolean.TRUE.equals(spec.policy().allowCrossTeam());
        }
    }

    /** The agents a registry lists: those that declare capabilities, in name order. */
    public static List<NamespaceAgent> indexed(List<NamespaceAgent> agents) {
        return agents.stream().filter(a -> a.spec() != null && !a.spec().capabilityList().isEmpty())
                .sorted(java.util.Comparator.comparing(NamespaceAgent::name)).toList();
    }

    /**
     * The directory of a run of {@code team}.
     *
     * @param turns round-robin cursors shared by every run, so turns go on across runs
     */
    public static StaticDirectory directory(String team, ArkTeamSpec spec, List<NamespaceAgent> agents,
                                            List<NamedRegistry> registries, ToIntFunction<AgentRef> loads,
                                            Map<String, AtomicInteger> turns) {
        List<NamedRegistry> applying = registries;
        String problem = null;
        if (spec.routing() != null) {
            String named = spec.routing().registryRef() == null ? null : spec.routing().registryRef().name();
            Optional<NamedRegistry> registry = registries.stream().filter(r -> r.name().equals(named)).findFirst();
            problem = registry.isEmpty() ? "ArkRegistry \"" + named + "\" was not found" : null;
            applying = registry.map(List::of).orElse(List.of());
        }
        boolean crossTeam = !applying.isEmpty() && applying.stream().allMatch(NamedRegistry::allowsCrossTeam);
        Integer maxDepth = applying.stream().map(NamedRegistry::maxDepth).filter(java.util.Objects::nonNull)
                .min(Integer::compare).orElse(null);
        List<DirectoryAgent> usable = agents.stream().filter(a -> a.spec() != null)
                .filter(a -> a.standalone() || a.team().equals(team) || crossTeam)
                .map(a -> new DirectoryAgent(a.ref(), a.spec())).toList();
        return new StaticDirectory(team, usable, maxDepth, problem, loads, turns);
    }
}
