package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.InvalidTeamException;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.local.LocalRunner;
import dev.arkonis.ark.local.RoleProviders;
import dev.arkonis.ark.local.RunObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run a team's pipeline locally: no cluster, no Redis.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    enum ProviderChoice { auto, openai, anthropic, mock }

    enum Format { text, json }

    @Parameters(index = "0", paramLabel = "<file.yaml>", description = "Team file (multi-document YAML).")
    Path file;

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|openai|anthropic|mock",
            description = "Provider for every role; auto uses each role's provider or the one its model implies.")
    ProviderChoice provider;

    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "Run input: a JSON object, or key=value (repeatable).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--watch", description = "Show each step as it starts and ends.")
    boolean watch;

    @Option(names = "--output", paramLabel = "<file>", description = "Also write the run's output to this file.")
    Path outputFile;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text (the output, and a summary with --watch) or json (one document with every step).")
    Format format;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "Whole-run timeout (90s, 5m, ...); overrides the team's timeoutSeconds.")
    Duration timeout;

    @Option(names = "--max-tokens", paramLabel = "<n>", description = "Run token budget; overrides the team's maxTokens.")
    Long maxTokens;

    @Option(names = "--team", paramLabel = "<name>", description = "Which team to run when the file holds several.")
    String teamName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TeamFileReader reader = new TeamFileReader(err);
        Optional<TeamFile> teamFile = reader.read(file);
        teamFile.ifPresent(f -> reader.noteClusterFeatures(f, file));
        Optional<TeamDocument> picked = teamFile.flatMap(f -> reader.pick(f, teamName, file));
        if (picked.isEmpty()) {
            return ExitCodes.INVALID;
        }
        TeamDocument team = picked.get();
        if (!team.readProblems().isEmpty()) {
            reader.printProblems("error", team.name(), team.readProblems());
            return ExitCodes.INVALID;
        }
        JsonSchemas schemas = new JsonSchemas();
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(team.spec(), new TeamValidator(schemas));
        } catch (InvalidTeamException e) {
            reader.printProblems("error", team.name(), e.problems());
            return ExitCodes.INVALID;
        }
        reader.printProblems("warning", team.name(), pipeline.warnings());
        ObjectNode input;
        try {
            input = new InputResolver().resolve(team.spec().inputList(), RunInputs.parse(inputs, team.spec().inputList()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (InvalidInputException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return ExitCodes.INVALID;
        }
        RunLimits limits = RunLimits.of(team.spec(), timeout == null ? null : (int) Math.max(1, timeout.toSeconds()), maxTokens);
        PipelineRun run = new PipelineRun(pipeline, runId(team.name()), input, limits, new OutputChecker(schemas));

        boolean json = format == Format.json;
        PrintWriter progress = json ? err : out;
        WatchDisplay display = watch ? new WatchDisplay(progress, System.console() != null && !json, run.steps()) : null;
        RunObserver observer = display == null ? RunObserver.NONE : new RunObserver() {
            @Override
            public void stepChanged(StepState step) {
                display.stepChanged(step);
            }
        };
        Provider forced = provider == ProviderChoice.auto ? null : Provider.of(provider.name());
        try {
            new LocalRunner(new RoleProviders(forced, System.getenv()), observer, Clock.systemUTC()).run(run);
        } catch (LlmException e) {
            err.println("error: " + e.getMessage());
            if (provider != ProviderChoice.mock) {
                err.println("hint: --provider mock runs the team without any API key");
            }
            return ExitCodes.INVALID;
        }
        if (json) {
            out.println(RunReport.json(team.name(), run));
        } else {
            if (watch) {
                out.println();
                out.println(RunReport.summary(team.name(), run));
                out.println();
            } else if (run.phase() != RunPhase.Succeeded) {
                err.println(RunReport.summary(team.name(), run));
            }
            if (run.output() != null) {
                out.println(run.output());
            }
        }
        out.flush();
        if (outputFile != null && run.output() != null) {
            try {
                Files.writeString(outputFile, run.output(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: cannot write " + outputFile + ": " + e.getMessage());
                return ExitCodes.RUN_FAILED;
            }
        }
        return run.phase() == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    private static String runId(String team) {
        return team + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
