package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkSettingsSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.SettingsRef;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.SpecDocument;
import dev.arkonis.ark.llm.ModelSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ArkSettings a role (or an agent of the file) lists, from the team's file, put into its calls as an agent pod
 * would put them: the prompt fragments and output format around its system prompt, the temperature as its
 * {@code AGENT_TEMPERATURE}. Settings the file does not hold are left out (ark validate warns of them).
 */
public final class FileSettings {
    private final List<SpecDocument<ArkSettingsSpec>> settings;

    public FileSettings(List<SpecDocument<ArkSettingsSpec>> settings) {
        this.settings = List.copyOf(settings);
    }

    public ArkTeamSpec apply(ArkTeamSpec spec) {
        if (spec.roleList().stream().allMatch(r -> r.settingsRefs() == null || r.settingsRefs().isEmpty())) {
            return spec;
        }
        List<TeamRole> roles = new ArrayList<>();
        for (TeamRole role : spec.roleList()) {
            roles.add(TeamRole.fromAgent(role.name(), apply(role.agentSpec())));
        }
        return spec.withRoles(roles);
    }

    public AgentSpec apply(AgentSpec agent) {
        List<SettingsRef> refs = agent.settingsRefList();
        if (refs.isEmpty()) {
            return agent;
        }
        ModelSettings merged = ModelSettings.merge(refs.stream().filter(Objects::nonNull).map(this::spec)
                .filter(Objects::nonNull).toList());
        List<EnvVar> env = new ArrayList<>(agent.env() == null ? List.of() : agent.env());
        if (merged.temperature() != null) {
            env.add(new EnvVar(AgentEnv.TEMPERATURE, merged.temperature(), null));
        }
        return new AgentSpec(agent.model(), agent.provider(), merged.systemPrompt(agent.systemPrompt()),
                agent.systemPromptRef(), agent.envFrom(), env, agent.apiKeys(), agent.replicas(), agent.resources(), agent.limits(),
                agent.mcpServers(), agent.tools(), agent.canDelegate(), agent.capabilities(), agent.autoscaling(),
                agent.settingsRefs());
    }

    private ArkSettingsSpec spec(SettingsRef ref) {
        return settings.stream().filter(s -> s.name().equals(ref.name())).map(SpecDocument::spec).filter(Objects::nonNull)
                .findFirst().orElse(null);
    }
}
