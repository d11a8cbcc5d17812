package dev.arkonis.ark.flow;

import java.util.List;

/**
 * What a team file holds: its ArkTeams, notices about documents that were skipped, and problems that make the
 * file unusable as a whole (malformed YAML, empty file, no ArkTeam).
 */
public record TeamFile(List<TeamDocument> teams, List<String> notices, List<Problem> problems) {
    public TeamFile {
        teams = List.copyOf(teams);
        notices = List.copyOf(notices);
        problems = List.copyOf(problems);
    }
}
