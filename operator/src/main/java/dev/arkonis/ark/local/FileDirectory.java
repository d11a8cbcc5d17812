package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.AgentRef;
import dev.arkonis.ark.flow.NamespaceAgent;
import dev.arkonis.ark.flow.RegistryIndex;
import dev.arkonis.ark.flow.SpecDocument;
import dev.arkonis.ark.flow.StaticDirectory;
import dev.arkonis.ark.flow.TeamFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * What {@code ark run} offers a team's run besides its roles, from the team's own file, as a namespace's registries
 * do in a cluster ({@link RegistryIndex}): the team's roles and the file's ArkAgents (standalone, each on its own queue),
 * under the file's ArkRegistries.
 */
public final class FileDirectory {
    private FileDirectory() {
    }

    public static StaticDirectory of(TeamFile file, String team, ArkTeamSpec spec, ToIntFunction<AgentRef> loads) {
        List<NamespaceAgent> agents = new ArrayList<>();
        FileSettings settings = new FileSettings(file.settings());
        for (TeamRole role : spec.roleList()) {
            agents.add(new NamespaceAgent(Names.agent(team, role.name()), team, role.name(),
                    settings.apply(spec.agentSpec(role))));
        }
        for (SpecDocument<AgentSpec> agent : file.agents()) {
            if (agent.spec() != null) {
                agents.add(new NamespaceAgent(agent.name(), null, null, settings.apply(agent.spec())));
            }
        }
        List<RegistryIndex.NamedRegistry> registries = file.registries().stream()
                .map(r -> new RegistryIndex.NamedRegistry(r.name(), r.spec())).toList();
        return RegistryIndex.directory(team, spec, agents, registries, loads, new ConcurrentHashMap<>());
    }
}
