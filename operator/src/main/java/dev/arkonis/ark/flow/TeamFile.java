package dev.arkonis.ark.flow;

import java.util.List;

/**
 * What a team file holds: its ArkTeams, its ArkEvents and ArkNotifies (cluster features), notices about documents
 * that were skipped, and problems that make the file unusable as a whole (malformed YAML, empty file, no ArkTeam).
 */
public record TeamFile(List<TeamDocument> teams, List<ClusterDocument> clusterDocuments, List<String> notices,
                       List<Problem> problems) {
    public TeamFile {
        teams = List.copyOf(teams);
        clusterDocuments = List.copyOf(clusterDocuments);
        notices = List.copyOf(notices);
        problems = List.copyOf(problems);
    }

    /** A file without ArkEvents or ArkNotifies. */
    public TeamFile(List<TeamDocument> teams, List<String> notices, List<Problem> problems) {
        this(teams, List.of(), notices, problems);
    }
}
