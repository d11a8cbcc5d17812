package dev.arkonis.ark.local;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.flow.AgentRef;
import dev.arkonis.ark.flow.DirectoryAgent;
import dev.arkonis.ark.flow.SpecDocument;
import dev.arkonis.ark.flow.StaticDirectory;
import dev.arkonis.ark.flow.TeamFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * What {@code ark run} offers a team's run besides its roles, from the team's own file, as a namespace's registry would
 * in a cluster: the file's ArkAgents (standalone, each on its own queue) and the team's roles that declare
 * capabilities; the depth limit of the registry that applies (the one routing names, else the smallest of the file's).
 */
public final class FileDirectory {
    private FileDirectory() {
    }

    public static StaticDirectory of(TeamFile file, String team, ArkTeamSpec spec, ToIntFunction<AgentRef> loads) {
        List<DirectoryAgent> agents = new ArrayList<>();
        FileSettings settings = new FileSettings(file.settings());
        for (TeamRole role : spec.roleList()) {
            if (role.capabilities() != null && !role.capabilities().isEmpty()) {
                agents.add(new DirectoryAgent(AgentRef.teamRole(team, role.name()), settings.apply(spec.agentSpec(role))));
            }
        }
        for (SpecDocument<AgentSpec> agent : file.agents()) {
            if (agent.spec() != null) {
                agents.add(new DirectoryAgent(AgentRef.standalone(agent.name()), settings.apply(agent.spec())));
            }
        }
        String problem = null;
        Integer maxDepth;
        if (spec.routing() != null) {
            String name = spec.routing().registryRef() == null ? null : spec.routing().registryRef().name();
            Optional<SpecDocument<ArkRegistrySpec>> registry = file.registries().stream()
                    .filter(r -> r.name().equals(name)).findFirst();
            problem = registry.isEmpty() ? "ArkRegistry \"" + name + "\" is not in the file" : null;
            maxDepth = registry.map(FileDirectory::maxDepth).orElse(null);
        } else {
            maxDepth = file.registries().stream().map(FileDirectory::maxDepth).filter(Objects::nonNull)
                    .min(Integer::compare).orElse(null);
        }
        return new StaticDirectory(team, agents, maxDepth, problem, loads);
    }

    private static Integer maxDepth(SpecDocument<ArkRegistrySpec> registry) {
        return registry.spec() == null || registry.spec().policy() == null ? null : registry.spec().policy().maxDepth();
    }
}
