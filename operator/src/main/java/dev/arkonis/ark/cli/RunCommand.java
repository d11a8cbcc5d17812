package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.InvalidTeamException;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.ResumePoint;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.StepCacheStore;
import dev.arkonis.ark.flow.TeamDocument;
import dev.arkonis.ark.flow.TeamFile;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.local.Approver;
import dev.arkonis.ark.local.DiskStepCache;
import dev.arkonis.ark.local.DryRun;
import dev.arkonis.ark.local.FileDirectory;
import dev.arkonis.ark.local.FileSettings;
import dev.arkonis.ark.local.LocalRunObserver;
import dev.arkonis.ark.local.LocalRunner;
import dev.arkonis.ark.local.LocalTrace;
import dev.arkonis.ark.local.PromptRefs;
import dev.arkonis.ark.local.RoleProviders;
import dev.arkonis.ark.telemetry.Telemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run a team's pipeline locally: no cluster, no Redis.", mixinStandardHelpOptions = true,
        sortOptions = false)
final class RunCommand implements Callable<Integer> {
    enum ProviderChoice { auto, openai, anthropic, mock }

    @Parameters(index = "0", paramLabel = "<file.yaml>", description = "Team file (multi-document YAML); - reads stdin.")
    Path file;

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|openai|anthropic|mock",
            description = "Provider for every role; auto uses each role's provider or the one its model implies.")
    ProviderChoice provider;

    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "Run input: a JSON object, or key=value (repeatable).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--watch", description = "Show each step live as it runs: phase, attempt, time, tokens, retries.")
    boolean watch;

    @Option(names = "--verbose", description = "With --watch: show rejected replies whole, not trimmed to the screen.")
    boolean verbose;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|yaml",
            description = "text (the output; a summary with --watch), json or yaml (one document with every step and attempt).")
    String output;

    @Option(names = "--output-file", paramLabel = "<file>", description = "Also write the run's output to this file.")
    Path outputFile;

    @Option(names = "--format", hidden = true, description = "Old spelling of -o/--output.")
    String legacyFormat;

    @Option(names = "--timeout", converter = DurationConverter.Timeout.class, paramLabel = "<duration>",
            description = "Whole-run timeout (90, 90s, 5m, 1h30m); overrides the team's timeoutSeconds.")
    Duration timeout;

    @Option(names = "--max-tokens", converter = PositiveLong.class, paramLabel = "<n>",
            description = "Run token budget (at least 1); overrides the team's maxTokens.")
    Long maxTokens;

    @Option(names = "--team", paramLabel = "<name>", description = "Which team to run when the file holds several.")
    String teamName;

    @Option(names = "--dry-run", description = "Validate, then print every step's rendered prompt (and if result) "
            + "in dependency order; no model is called, no key is needed.")
    boolean dryRun;

    @Option(names = "--outputs", paramLabel = "<file.json>",
            description = "With --dry-run: upstream outputs by step name, instead of the mock provider's answers. "
                    + "With --from: the -o json of the earlier run to resume.")
    Path givenOutputs;

    @Option(names = "--from", paramLabel = "<step>",
            description = "Run this step and every step after it again, reusing the other steps' outputs of the earlier "
                    + "run given with --outputs (its -o json).")
    String fromStep;

    @Option(names = "--approve", paramLabel = "<step>[=comment]",
            description = "Approve this approval step when the run reaches it (repeatable).")
    List<String> approve = new ArrayList<>();

    @Option(names = "--approve-all", description = "Approve every approval step when the run reaches it.")
    boolean approveAll;

    @Option(names = "--reject", paramLabel = "<step>[=comment]",
            description = "Reject this approval step when the run reaches it (repeatable).")
    List<String> reject = new ArrayList<>();

    @Option(names = "--no-cache", description = "Neither read nor keep answers of cached steps (~/.cache/ark).")
    boolean noCache;

    @Option(names = "--mock-latency", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "With the mock provider: how long each answer takes (800ms), to watch a run unfold.")
    Duration mockLatency;

    @Option(names = "--prompt-file", paramLabel = "<role>=<path>",
            description = "System prompt of a role from a file (wins over systemPromptRef and systemPrompt); repeatable.")
    Map<String, Path> promptFiles = new java.util.LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Terminal terminal;

    RunCommand() {
        this(System.getenv());
    }

    RunCommand(Map<String, String> env) {
        this.env = env;
        this.terminal = new Terminal(env);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<OutputChoice> outputs = OutputChoice.resolve(output, legacyFormat, outputFile, err,
                OutputFormat.text, OutputFormat.json, OutputFormat.yaml);
        if (outputs.isEmpty()) {
            return ExitCodes.INVALID;
        }
        OutputFormat format = outputs.get().format();
        Path writeTo = outputs.get().file();
        if (writeTo != null && !OutputChoice.checkWritable(writeTo, err)) {
            return ExitCodes.INVALID;
        }
        TeamFileReader reader = new TeamFileReader(err);
        Optional<TeamFile> teamFile = reader.read(file);
        teamFile.ifPresent(f -> reader.noteClusterFeatures(f, file));
        Optional<TeamDocument> picked = teamFile.flatMap(f -> reader.pick(f, teamName, file));
        if (picked.isEmpty()) {
            return ExitCodes.INVALID;
        }
        TeamDocument team = picked.get();
        JsonSchemas schemas = new JsonSchemas();
        TeamValidator validator = new TeamValidator(schemas);
        // the same list validate prints: what could not be read, and what validation adds without repeating it
        dev.arkonis.ark.flow.Validation checked = TeamFileReader.check(team, teamFile.get(), validator);
        if (!checked.isValid()) {
            reader.printProblems("error", team.name(), checked.errors());
            return ExitCodes.INVALID;
        }
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(new FileSettings(teamFile.get().settings()).apply(
                    new PromptRefs(teamFile.get().resources(), promptFiles).resolve(team.spec(), team.namespace())),
                    validator);
        } catch (InvalidTeamException e) {
            reader.printProblems("error", team.name(), e.problems());
            return ExitCodes.INVALID;
        } catch (PromptRefs.UnresolvedPromptException e) {
            // the team's own problems first: they may be why the prompt cannot be found
            List<dev.arkonis.ark.flow.Problem> problems = validator.validate(team.spec()).errors();
            if (!problems.isEmpty()) {
                reader.printProblems("error", team.name(), problems);
            } else {
                err.println("error: team " + team.name() + ": " + e.getMessage());
            }
            return ExitCodes.INVALID;
        }
        reader.printProblems("warning", team.name(), checked.warnings());
        ObjectNode input;
        try {
            input = new InputResolver().resolve(team.spec(), RunInputs.parse(inputs, team.spec().inputList()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (InvalidInputException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return ExitCodes.INVALID;
        }
        RunLimits limits = RunLimits.of(team.spec(), timeout == null ? null : (int) timeout.toSeconds(), maxTokens);
        LocalRunner.Loads loads = new LocalRunner.Loads();
        PipelineRun run = new PipelineRun(pipeline, runId(team.name()), input, limits, new OutputChecker(schemas))
                .useDirectory(FileDirectory.of(teamFile.get(), team.name(), team.spec(), loads::of));
        Clock clock = Clock.systemUTC();
        String user = env.getOrDefault("USER", System.getProperty("user.name"));
        Approver unattended = new UnattendedApprover(err, clock);
        ApprovalFlags flags;
        try {
            flags = ApprovalFlags.of(approve, reject, approveAll, pipeline, user, clock, unattended);
            resumeFrom(run, pipeline);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (dryRun) {
            return dryRun(team.name(), run, format, out, err);
        }
        if (givenOutputs != null && fromStep == null) {
            err.println("warning: --outputs is used only with --dry-run or --from; ignored");
        }

        PrintWriter progress = format.isDocument() ? err : out;
        AttemptLog attempts = new AttemptLog();
        boolean live = watch && terminal.isLive(format.isDocument() ? 2 : 1);
        StepDisplay display = watch ? StepDisplay.open(progress, live, terminal, run.steps(), verbose) : null;
        LocalRunObserver observer = new WatchObserver(display, attempts);
        Provider forced = provider == ProviderChoice.auto ? null : Provider.of(provider.name());
        Telemetry telemetry = Telemetry.fromEnv(env, "ark");
        StepCacheStore cache = noCache ? StepCacheStore.NONE
                : new DiskStepCache(DiskStepCache.defaultDir(env), forced == null ? "" : "provider=" + forced.wireName());
        // a person at a terminal is asked; the team file itself must not have come from that terminal's stdin
        Approver approver = terminal.isInteractive() && !"-".equals(file.toString())
                ? flags.askingInstead(new TerminalApprover(new BufferedReader(new InputStreamReader(System.in,
                        StandardCharsets.UTF_8)), err, display, user, clock))
                : flags;
        try {
            new LocalRunner(new RoleProviders(forced, env, mockLatency, telemetry), observer, clock,
                    new LocalTrace(telemetry, team.name()), cache, approver).run(run, loads);
        } catch (LlmException e) {
            if (display != null) {
                display.close();
            }
            err.println("error: " + e.getMessage());
            if (provider != ProviderChoice.mock) {
                err.println("hint: --provider mock runs the team without any API key");
            }
            return ExitCodes.INVALID;
        } finally {
            if (display != null) {
                display.close();
            }
            telemetry.close();
        }
        if (format.isDocument()) {
            out.println(Printed.as(format, RunReport.document(team.name(), run, attempts)));
        } else {
            if (watch) {
                out.println();
                String summary = RunReport.summary(team.name(), run);
                // on a terminal the summary is broken at spaces to the width, as the table is
                out.println(live ? String.join("\n", TextWidth.wrap(summary, terminal.size().columns() - 1)) : summary);
                out.println();
                // where the time went: the Gantt fits the terminal, or 80 columns in a pipe
                RunReport.timeline(run).lines(live ? terminal.size().columns() : 80).forEach(out::println);
                out.println();
            } else if (run.phase() != RunPhase.Succeeded) {
                err.println(RunReport.summary(team.name(), run));
            }
            if (run.output() != null) {
                out.println(run.output());
            }
        }
        out.flush();
        if (writeTo != null && run.output() != null) {
            try {
                Files.writeString(writeTo, run.output(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: cannot write " + writeTo + ": " + e.getMessage());
                return ExitCodes.RUN_FAILED;
            }
        }
        return run.phase() == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    /** With --from: the earlier run's outputs of every step not downstream of the step are kept. */
    private void resumeFrom(PipelineRun run, Pipeline pipeline) {
        if (fromStep == null) {
            return;
        }
        if (givenOutputs == null) {
            throw new IllegalArgumentException("--from needs --outputs <earlier-run.json> (the -o json of the run to resume)");
        }
        GivenOutputs.EarlierRun earlier = GivenOutputs.earlierRun(givenOutputs, pipeline);
        try {
            run.reuse(new ResumePoint(earlier.run(), fromStep, earlier.steps()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--from " + fromStep + ": " + e.getMessage(), e);
        }
    }

    private int dryRun(String team, PipelineRun run, OutputFormat format, PrintWriter out, PrintWriter err) {
        Map<String, String> given;
        try {
            given = givenOutputs == null || fromStep != null ? Map.of() : GivenOutputs.read(givenOutputs, run.pipeline());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        DryRun.Result result = new DryRun(given).run(run, Clock.systemUTC());
        if (format.isDocument()) {
            out.println(Printed.as(format, DryRunReport.document(team, result, !given.isEmpty())));
        } else {
            out.print(DryRunReport.text(team, result, !given.isEmpty()));
        }
        out.flush();
        return result.message() == null ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    private static String runId(String team) {
        return team + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
