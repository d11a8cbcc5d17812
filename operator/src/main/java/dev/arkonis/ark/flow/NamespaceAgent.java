package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentSpec;

/**
 * An ArkAgent of a namespace as registries see it: its name, the team and role it runs for (both null for an agent no
 * team owns), and its spec.
 */
public record NamespaceAgent(String name, String team, String role, AgentSpec spec) {
    public boolean standalone() {
        return team == null;
    }

    /** Where its tasks go: its team's role queue, or its own. */
    public AgentRef ref() {
        return standalone() ? AgentRef.standalone(name) : new AgentRef(name, team, role);
    }
}
