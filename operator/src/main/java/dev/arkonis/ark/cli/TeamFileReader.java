package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamFileChecks;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a team file for the CLI ({@code -} is stdin): reports what it cannot use on stderr and picks the team. */
final class TeamFileReader {
    static final Path STDIN = Path.of("-");

    private final PrintWriter err;
    private final String prefix;

    TeamFileReader(PrintWriter err) {
        this(err, "");
    }

    /** @param prefix put before every team problem (the file's name when several files are read) */
    TeamFileReader(PrintWriter err, String prefix) {
        this.err = err;
        this.prefix = prefix;
    }

    /** All teams of the file, or empty after printing why there are none. */
    Optional<TeamFile> read(Path file) {
        Optional<String> text = text(file, err);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        TeamFile teamFile = new TeamFileLoader().load(text.get());
        teamFile.notices().forEach(n -> err.println("note: " + name(file) + ": " + n));
        if (!teamFile.problems().isEmpty()) {
            teamFile.problems().forEach(p -> err.println("error: " + name(file) + ": " + p));
            return Optional.empty();
        }
        return Optional.of(teamFile);
    }

    /** The file's text, or empty after printing why it cannot be read. */
    static Optional<String> text(Path file, PrintWriter err) {
        try {
            if (file.equals(STDIN)) {
                InputStream in = System.in;
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (Files.isDirectory(file)) {
                err.println("error: " + file + ": is a directory");
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            err.println("error: " + file + ": no such file");
        } catch (AccessDeniedException e) {
            err.println("error: " + file + ": permission denied");
        } catch (java.nio.charset.MalformedInputException e) {
            err.println("error: " + name(file) + ": not UTF-8 text");
        } catch (IOException e) {
            err.println("error: " + name(file) + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    static String name(Path file) {
        return file.equals(STDIN) ? "<stdin>" : file.toString();
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
                err.println("error: " + name(path) + ": no ArkTeam named \"" + name + "\" (teams: " + names(teams) + ")");
            }
            return team;
        }
        if (teams.size() > 1) {
            err.println("error: " + name(path) + ": the file holds several teams (" + names(teams) + "); choose one with --team");
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

    void printProblems(String kind, String team, List<Problem> problems) {
        problems.forEach(p -> err.println(kind + ": " + prefix + "team " + team + ": " + p));
    }

    /**
     * Every error of a team: what reading found and what validation found, without validation errors at paths whose
     * value could not even be read (they would only repeat the same mistake).
     */
    static Validation check(TeamDocument team, TeamFile file, TeamValidator validator) {
        Validation own = validator.validate(team.spec());
        Validation across = new TeamFileChecks(validator).crossCheck(team.spec(), file);
        List<Problem> all = new ArrayList<>(own.errors());
        all.addAll(across.errors());
        List<Problem> warnings = new ArrayList<>(own.warnings());
        warnings.addAll(across.warnings());
        Validation validation = new Validation(all, warnings);
        List<Problem> errors = new ArrayList<>(team.readProblems());
        for (Problem p : validation.errors()) {
            boolean repeats = team.readProblems().stream().anyMatch(r -> under(p.path(), r.path()));
            if (!repeats) {
                errors.add(p);
            }
        }
        return new Validation(errors, validation.warnings());
    }

    private static boolean under(String path, String readPath) {
        return !readPath.isEmpty() && (path.equals(readPath) || path.startsWith(readPath + ".")
                || path.startsWith(readPath + "["));
    }

    private static String names(List<TeamDocument> teams) {
        return String.join(", ", teams.stream().map(TeamDocument::name).toList());
    }
}
