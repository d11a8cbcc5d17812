package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.ClusterDocument;
import dev.arkonis.ark.flow.ClusterDocumentValidator;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.SpecDocument;
import dev.arkonis.ark.flow.TeamFileChecks;
import dev.arkonis.ark.flow.TeamMode;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamFileLoader;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.flow.Validation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check team files without calling any model; lists every problem with its field path.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file.yaml>",
            description = "Team files or directories of them (*.yaml, *.yml); - reads stdin.")
    List<Path> files;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|yaml", description = "text, or json/yaml for programs.")
    String output;

    @Option(names = "--format", hidden = true, description = "Old spelling of -o/--output.")
    String legacyFormat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OutputChoice> choice = OutputChoice.resolve(output, legacyFormat, null, err,
                OutputFormat.text, OutputFormat.json, OutputFormat.yaml);
        if (choice.isEmpty() || choice.get().file() != null) {
            if (choice.isPresent()) {
                err.println("error: validate prints its result; -o takes text, json or yaml");
            }
            return ExitCodes.INVALID;
        }
        List<Path> expanded = expand(files, err);
        if (expanded == null) {
            return ExitCodes.INVALID;
        }
        TeamValidator validator = new TeamValidator(new JsonSchemas());
        boolean several = expanded.size() > 1;
        boolean valid = true;
        List<Map<String, Object>> results = new ArrayList<>();
        for (Path file : expanded) {
            FileResult result = validate(file, validator, several ? TeamFileReader.name(file) + ": " : "");
            valid &= result.valid();
            results.add(result.document());
            if (choice.get().format() == OutputFormat.text) {
                err.print(result.errText());
                out.print(result.outText());
            }
        }
        if (choice.get().format().isDocument()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("valid", valid);
            doc.put("files", results);
            out.println(Printed.as(choice.get().format(), doc));
        }
        out.flush();
        err.flush();
        return valid ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private record FileResult(boolean valid, Map<String, Object> document, String outText, String errText) {
    }

    private static FileResult validate(Path file, TeamValidator validator, String prefix) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        PrintWriter out = new PrintWriter(outText);
        PrintWriter err = new PrintWriter(errText);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", TeamFileReader.name(file));
        Optional<String> text = TeamFileReader.text(file, err);
        if (text.isEmpty()) {
            err.flush();
            doc.put("problems", List.of(problem(new Problem("", errText.toString().strip().replaceFirst("^error: ", "")))));
            return new FileResult(false, doc, "", errText.toString());
        }
        TeamFile teamFile = new TeamFileLoader().load(text.get());
        teamFile.notices().forEach(n -> err.println("note: " + TeamFileReader.name(file) + ": " + n));
        teamFile.problems().forEach(p -> err.println("error: " + TeamFileReader.name(file) + ": " + p));
        doc.put("notices", teamFile.notices());
        doc.put("problems", teamFile.problems().stream().map(ValidateCommand::problem).toList());
        boolean valid = teamFile.problems().isEmpty();
        TeamFileReader reader = new TeamFileReader(err, prefix);
        List<Map<String, Object>> teams = new ArrayList<>();
        for (TeamDocument team : teamFile.teams()) {
            Validation validation = TeamFileReader.check(team, teamFile, validator);
            reader.printProblems("warning", team.name(), validation.warnings());
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", team.name());
            t.put("mode", TeamMode.of(team.spec()).name().toLowerCase(java.util.Locale.ROOT));
            t.put("valid", validation.isValid());
            t.put("roles", team.spec().roleList().size());
            t.put("steps", team.spec().steps().size());
            t.put("errors", validation.errors().stream().map(ValidateCommand::problem).toList());
            t.put("warnings", validation.warnings().stream().map(ValidateCommand::problem).toList());
            teams.add(t);
            if (validation.isValid()) {
                out.printf("%steam %s is valid: %s%n", prefix, team.name(), shape(team.spec()));
            } else {
                valid = false;
                reader.printProblems("error", team.name(), validation.errors());
                out.printf("%steam %s is invalid: %d problem(s)%n", prefix, team.name(), validation.errors().size());
            }
        }
        doc.put("teams", teams);
        List<Map<String, Object>> others = new ArrayList<>();
        valid &= validateSpecDocuments(teamFile, new TeamFileChecks(validator), prefix, out, err, others);
        valid &= validateClusterDocuments(teamFile, prefix, out, err, others);
        doc.put("clusterDocuments", others);
        out.flush();
        err.flush();
        return new FileResult(valid, doc, outText.toString(), errText.toString());
    }

    /** What a valid team is, in a few words: its roles and steps, or its mode. */
    private static String shape(ArkTeamSpec spec) {
        return switch (TeamMode.of(spec)) {
            case PIPELINE -> spec.roleList().size() + " role(s), " + spec.steps().size() + " step(s)";
            case DYNAMIC -> "dynamic mode, entry role " + spec.entry() + ", " + spec.roleList().size() + " role(s)";
            case ROUTED -> "routed mode, registry " + spec.routing().registryRef().name() + ", fallback "
                    + (spec.routing().fallback() == null ? "none" : spec.routing().fallback());
        };
    }

    private static Map<String, Object> problem(Problem p) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("path", p.path());
        doc.put("message", p.message());
        return doc;
    }

    /** Files as given, directories replaced by their *.yaml and *.yml files; null after an error. */
    private static List<Path> expand(List<Path> given, PrintWriter err) {
        List<Path> files = new ArrayList<>();
        for (Path path : given) {
            if (!path.equals(TeamFileReader.STDIN) && Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    List<Path> yaml = entries.filter(p -> Files.isRegularFile(p)
                            && (p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))).sorted().toList();
                    if (yaml.isEmpty()) {
                        err.println("error: " + path + ": no *.yaml or *.yml files in the directory");
                        return null;
                    }
                    files.addAll(yaml);
                } catch (IOException e) {
                    err.println("error: " + path + ": " + e.getMessage());
                    return null;
                }
            } else {
                files.add(path);
            }
        }
        return files;
    }

    /** ArkAgents, ArkRegistries and ArkSettings, each on its own. */
    private static boolean validateSpecDocuments(TeamFile file, TeamFileChecks checks, String prefix, PrintWriter out,
                                                 PrintWriter err, List<Map<String, Object>> results) {
        boolean valid = true;
        List<SpecDocument<?>> documents = new ArrayList<>(file.agents());
        documents.addAll(file.registries());
        documents.addAll(file.settings());
        documents.sort(java.util.Comparator.comparingInt(SpecDocument::index));
        for (SpecDocument<?> document : documents) {
            valid &= report(document.kind(), document.name(), checks.check(document), prefix, out, err, results);
        }
        return valid;
    }

    /** One document's result, as text and as data. */
    private static boolean report(String kind, String name, Validation validation, String prefix, PrintWriter out,
                                  PrintWriter err, List<Map<String, Object>> results) {
        String what = kind + " " + name;
        validation.warnings().forEach(p -> err.println("warning: " + prefix + what + ": " + p));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put("name", name);
        d.put("valid", validation.isValid());
        d.put("errors", validation.errors().stream().map(ValidateCommand::problem).toList());
        d.put("warnings", validation.warnings().stream().map(ValidateCommand::problem).toList());
        results.add(d);
        if (validation.isValid()) {
            out.printf("%s%s is valid%n", prefix, what);
            return true;
        }
        validation.errors().forEach(p -> err.println("error: " + prefix + what + ": " + p));
        out.printf("%s%s is invalid: %d problem(s)%n", prefix, what, validation.errors().size());
        return false;
    }

    /** ArkEvents and ArkNotifies: checked as the operator would, targets against the file's teams. */
    private static boolean validateClusterDocuments(TeamFile file, String prefix, PrintWriter out, PrintWriter err,
                                                    List<Map<String, Object>> results) {
        Map<String, ArkTeamSpec> teams = new HashMap<>();
        file.teams().forEach(t -> teams.put(t.name(), t.spec()));
        ClusterDocumentValidator validator = new ClusterDocumentValidator();
        boolean valid = true;
        for (ClusterDocument document : file.clusterDocuments()) {
            valid &= report(document.kind(), document.name(), validator.validate(document, teams), prefix, out, err,
                    results);
        }
        return valid;
    }
}
