package dev.arkonis.ark.flow;

import java.util.List;
import java.util.Map;

/**
 * What a team file holds: its ArkTeams, the ConfigMaps and Secrets beside them (a role's {@code systemPromptRef}
 * may read them), its ArkEvents and ArkNotifies (cluster features), the ArkAgents, ArkRegistries and ArkSettings its
 * teams' runs may use, notices about documents that were skipped, and problems that make the file unusable as a whole
 * (malformed YAML, empty file, no ArkTeam).
 */
public record TeamFile(List<TeamDocument> teams, List<DataDocument> resources, List<ClusterDocument> clusterDocuments,
                       List<SpecDocument<dev.arkonis.ark.api.AgentSpec>> agents,
                       List<SpecDocument<dev.arkonis.ark.api.ArkRegistrySpec>> registries,
                       List<SpecDocument<dev.arkonis.ark.api.ArkSettingsSpec>> settings,
                       List<String> notices, List<Problem> problems) {
    public TeamFile {
        teams = List.copyOf(teams);
        resources = List.copyOf(resources);
        clusterDocuments = List.copyOf(clusterDocuments);
        agents = List.copyOf(agents);
        registries = List.copyOf(registries);
        settings = List.copyOf(settings);
        notices = List.copyOf(notices);
        problems = List.copyOf(problems);
    }

    public TeamFile(List<TeamDocument> teams, List<DataDocument> resources, List<ClusterDocument> clusterDocuments,
                    List<String> notices, List<Problem> problems) {
        this(teams, resources, clusterDocuments, List.of(), List.of(), List.of(), notices, problems);
    }

    /** A file of teams alone. */
    public TeamFile(List<TeamDocument> teams, List<String> notices, List<Problem> problems) {
        this(teams, List.of(), List.of(), notices, problems);
    }

    /**
     * A ConfigMap or Secret of the file: its data as text (a Secret's {@code data} decoded from base64, its
     * {@code stringData} as is).
     */
    public record DataDocument(String kind, String name, String namespace, Map<String, String> data) {
        public DataDocument {
            data = Map.copyOf(data);
        }
    }
}
