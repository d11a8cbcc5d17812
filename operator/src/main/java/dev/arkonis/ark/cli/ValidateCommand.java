package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.ClusterDocument;
import dev.arkonis.ark.flow.ClusterDocumentValidator;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check a team file without calling any model; lists every problem with its field path.",
        mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<file.yaml>", description = "Team file (multi-document YAML).")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TeamFileReader reader = new TeamFileReader(err);
        Optional<TeamFile> teamFile = reader.read(file);
        if (teamFile.isEmpty()) {
            return ExitCodes.INVALID;
        }
        TeamValidator validator = new TeamValidator(new JsonSchemas());
        boolean valid = true;
        for (TeamDocument team : teamFile.get().teams()) {
            Validation validation = validator.validate(team.spec());
            List<Problem> errors = new ArrayList<>(team.readProblems());
            errors.addAll(validation.errors());
            reader.printProblems("warning", team.name(), validation.warnings());
            if (errors.isEmpty()) {
                out.printf("team %s is valid: %d role(s), %d step(s)%n", team.name(), team.spec().roleList().size(),
                        team.spec().steps().size());
            } else {
                valid = false;
                reader.printProblems("error", team.name(), errors);
                out.printf("team %s is invalid: %d problem(s)%n", team.name(), errors.size());
            }
        }
        valid &= validateClusterDocuments(teamFile.get(), out, err);
        return valid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /** ArkEvents and ArkNotifies: checked as the operator would, targets against the file's teams. */
    private static boolean validateClusterDocuments(TeamFile file, PrintWriter out, PrintWriter err) {
        Map<String, ArkTeamSpec> teams = new HashMap<>();
        file.teams().forEach(t -> teams.put(t.name(), t.spec()));
        ClusterDocumentValidator validator = new ClusterDocumentValidator();
        boolean valid = true;
        for (ClusterDocument document : file.clusterDocuments()) {
            Validation validation = validator.validate(document, teams);
            String what = document.kind() + " " + document.name();
            validation.warnings().forEach(p -> err.println("warning: " + what + ": " + p));
            if (validation.isValid()) {
                out.printf("%s is valid%n", what);
            } else {
                valid = false;
                validation.errors().forEach(p -> err.println("error: " + what + ": " + p));
                out.printf("%s is invalid: %d problem(s)%n", what, validation.errors().size());
            }
        }
        return valid;
    }
}
