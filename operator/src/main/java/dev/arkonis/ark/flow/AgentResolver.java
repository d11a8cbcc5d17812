package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.RegistryLookup;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the agent for a capability without a model call: among the directory's agents with the capability (and every
 * tag asked for), the least busy or the next in turn; else the fallback named.
 */
final class AgentResolver {
    private AgentResolver() {
    }

    /** An agent chosen, the capability it was chosen by (null for a fallback), and why, in words. */
    record Choice(DirectoryAgent agent, String capability, String reason) {
    }

    /** A choice, or why there is none. */
    record Resolution(Choice choice, String problem) {
        static Resolution of(Choice choice) {
            return new Resolution(choice, null);
        }

        static Resolution none(String problem) {
            return new Resolution(null, problem);
        }
    }

    static Resolution lookup(RegistryLookup lookup, AgentDirectory directory) {
        List<DirectoryAgent> candidates = holders(directory, lookup.capability(), lookup.tagList());
        String wanted = describe(lookup.capability(), lookup.tagList());
        if (!candidates.isEmpty()) {
            if (lookup.effectiveStrategy() == RegistryLookup.Strategy.ROUND_ROBIN) {
                int turn = Math.floorMod(directory.turn(wanted), candidates.size());
                DirectoryAgent agent = candidates.get(turn);
                return Resolution.of(new Choice(agent, lookup.capability(), "round-robin: " + agent.name() + ", turn "
                        + (turn + 1) + " of " + candidates.size() + " agent(s) with " + wanted));
            }
            return Resolution.of(leastBusy(candidates, directory, wanted, lookup.capability()));
        }
        String none = "no agent has " + wanted;
        if (lookup.fallback() == null || lookup.fallback().isBlank()) {
            return Resolution.none(none + " and the lookup names no fallback");
        }
        return fallback(lookup.fallback(), directory, none);
    }

    /** The least busy agent holding {@code capability} (any tags), for routing. */
    static Optional<Choice> holderOf(String capability, AgentDirectory directory, String reason) {
        List<DirectoryAgent> candidates = holders(directory, capability, List.of());
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Choice least = leastBusy(candidates, directory, describe(capability, List.of()), capability);
        return Optional.of(new Choice(least.agent(), capability, reason));
    }

    /** The named fallback agent, said to stand in because of {@code why}; or why it cannot. */
    static Resolution fallback(String name, AgentDirectory directory, String why) {
        return directory.find(name)
                .map(agent -> Resolution.of(new Choice(agent, null, why + "; fallback " + name)))
                .orElseGet(() -> Resolution.none(why + ", and the fallback ArkAgent \"" + name + "\" was not found"));
    }

    private static Choice leastBusy(List<DirectoryAgent> candidates, AgentDirectory directory, String wanted,
                                    String capability) {
        DirectoryAgent best = candidates.stream()
                .min(Comparator.comparingInt((DirectoryAgent a) -> directory.load(a.ref())).thenComparing(DirectoryAgent::name))
                .orElseThrow();
        return new Choice(best, capability, "least-busy: " + best.name() + " with " + directory.load(best.ref())
                + " task(s) queued or running, of " + candidates.size() + " agent(s) with " + wanted);
    }

    private static List<DirectoryAgent> holders(AgentDirectory directory, String capability, List<String> tags) {
        return directory.indexed().stream().filter(agent -> agent.capabilities().stream()
                .anyMatch(c -> capability.equals(c.id()) && c.tagList().containsAll(tags))).toList();
    }

    private static String describe(String capability, List<String> tags) {
        return "capability " + capability + (tags.isEmpty() ? "" : " tagged " + String.join(", ", tags));
    }

    /** Every capability the directory offers, once per id (the first agent's description), in id order. */
    static List<Capability> offered(AgentDirectory directory) {
        java.util.Map<String, Capability> byId = new java.util.TreeMap<>();
        for (DirectoryAgent agent : directory.indexed()) {
            for (Capability c : agent.capabilities()) {
                byId.putIfAbsent(c.id(), c);
            }
        }
        return List.copyOf(byId.values());
    }
}
