package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Capability;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Directories of standalone agents for engine tests. */
final class Directories {
    private Directories() {
    }

    static Capability capability(String id, String... tags) {
        return new Capability(id, "does " + id, List.of(tags));
    }

    static DirectoryAgent agent(String name, Capability... capabilities) {
        return new DirectoryAgent(AgentRef.standalone(name), spec(Arrays.asList(capabilities), null));
    }

    static DirectoryAgent agent(String name, int timeoutSeconds, Capability... capabilities) {
        return new DirectoryAgent(AgentRef.standalone(name), spec(Arrays.asList(capabilities),
                new AgentLimits(1234, null, timeoutSeconds, null)));
    }

    static AgentSpec spec(List<Capability> capabilities, AgentLimits limits) {
        return new AgentSpec("m", null, null, null, null, null, null, null, null, limits, null, null, null,
                capabilities.isEmpty() ? null : capabilities, null, null);
    }

    /** Agents with these loads (by name, 0 when not given), no registry problem. */
    static StaticDirectory of(String team, Map<String, Integer> loads, Integer maxDepth, DirectoryAgent... agents) {
        return new StaticDirectory(team, List.of(agents), maxDepth, null, ref -> loads.getOrDefault(ref.agent(), 0));
    }
}
