package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamFileLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads a team file for the CLI: reports what it cannot use on stderr and picks the team to work on. */
final class TeamFileReader {
    private final PrintWriter err;

    TeamFileReader(PrintWriter err) {
        this.err = err;
    }

    /** All teams of the file, or empty after printing why there are none. */
    Optional<TeamFile> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("error: " + file + ": no such file");
            return Optional.empty();
        } catch (IOException e) {
            err.println("error: " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        TeamFile teamFile = new TeamFileLoader().load(text);
        teamFile.notices().forEach(n -> err.println("note: " + file + ": " + n));
        if (!teamFile.problems().isEmpty()) {
            teamFile.problems().forEach(p -> err.println("error: " + file + ": " + p));
            return Optional.empty();
        }
        return Optional.of(teamFile);
    }

    /** The team named {@code name}, or the only team of the file. */
    Optional<TeamDocument> pick(TeamFile file, String name, Path path) {
        List<TeamDocument> teams = file.teams();
        if (teams.isEmpty()) {
            err.println("error: " + path + ": no ArkTeam in the file");
            return Optional.empty();
        }
        if (name != null) {
            Optional<TeamDocument> team = teams.stream().filter(t -> t.name().equals(name)).findFirst();
            if (team.isEmpty()) {
                err.println("error: " + path + ": no ArkTeam named \"" + name + "\" (teams: " + names(teams) + ")");
            }
            return team;
        }
        if (teams.size() > 1) {
            err.println("error: " + path + ": the file holds several teams (" + names(teams) + "); choose one with --team");
            return Optional.empty();
        }
        return Optional.of(teams.get(0));
    }

    /** Says once that the file's ArkEvents and ArkNotifies need a cluster. */
    void noteClusterFeatures(TeamFile file, Path path) {
        if (!file.clusterDocuments().isEmpty()) {
            err.println("note: " + path + ": " + String.join(", ", file.clusterDocuments().stream()
                    .map(d -> d.kind() + " " + d.name()).toList()) + ": triggers and notifications are cluster features "
                    + "(the operator acts on them); ark run does not");
        }
    }

    void printProblems(String prefix, String team, List<Problem> problems) {
        problems.forEach(p -> err.println(prefix + ": team " + team + ": " + p));
    }

    private static String names(List<TeamDocument> teams) {
        return String.join(", ", teams.stream().map(TeamDocument::name).toList());
    }
}
