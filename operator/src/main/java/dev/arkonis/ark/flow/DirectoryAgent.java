package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Capability;
import java.util.List;

/** An ArkAgent a run may hand tasks to by capability or by name: where its tasks go and what it declares. */
public record DirectoryAgent(AgentRef ref, AgentSpec spec) {
    public String name() {
        return ref.agent();
    }

    public List<Capability> capabilities() {
        return spec.capabilityList();
    }
}
