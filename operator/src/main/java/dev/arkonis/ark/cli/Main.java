package dev.arkonis.ark.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one ark executable: every subcommand of SPEC 6. */
@Command(name = "ark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run teams of LLM agents as pipelines, locally or on Kubernetes.",
        exitCodeOnInvalidInput = ExitCodes.INVALID, exitCodeOnExecutionException = ExitCodes.RUN_FAILED)
public final class Main {
    /** Subcommands by name, built only when used: a run should not pay for loading the operator. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command tree for these arguments: only the subcommand named first, or all of them (help, completion). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Supplier<Object> chosen = args.length > 0 && !"completion".equals(args[0]) ? SUBCOMMANDS.get(args[0]) : null;
        if (chosen != null) {
            cl.addSubcommand(args[0], chosen.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return configure(cl).setOut(out).setErr(err);
    }

    /** Error handling for the whole tree: one line for a usage error, one line for a failure. */
    static CommandLine configure(CommandLine cl) {
        return cl.setExecutionExceptionHandler(Main::reportFailure).setParameterExceptionHandler(Main::usageError);
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("run", RunCommand::new);
        commands.put("validate", ValidateCommand::new);
        commands.put("trigger", TriggerCommand::new);
        commands.put("status", StatusCommand::new);
        commands.put("retry", RetryCommand::new);
        commands.put("agent", AgentCommand::new);
        commands.put("operator", OperatorCommand::new);
        commands.put("version", VersionCommand::new);
        commands.put("completion", CompletionCommand::new);
        return commands;
    }

    /** A usage error is the problem and where help is, not the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.INVALID;
    }

    /** An unexpected error is one line for the user; ARK_DEBUG=1 adds the stack trace for us. */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? "unexpected failure (" + e.getClass().getSimpleName() + "); ARK_DEBUG=1 shows where" : e.getMessage();
        cmd.getErr().println("error: " + message);
        if (System.getenv("ARK_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return ExitCodes.RUN_FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ark " + number()};
        }

        static String number() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
