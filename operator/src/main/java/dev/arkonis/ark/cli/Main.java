package dev.arkonis.ark.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one ark executable: every subcommand, each loaded only when used. */
@Command(name = "ark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run teams of LLM agents as pipelines, locally or on Kubernetes.",
        exitCodeOnInvalidInput = ExitCodes.INVALID, exitCodeOnExecutionException = ExitCodes.RUN_FAILED)
public final class Main {
    /** Subcommand names; each command's class is loaded only when used: a run should not pay for the operator. */
    static final List<String> SUBCOMMANDS = List.of("run", "validate", "trigger", "submit", "status", "retry", "approve",
            "cancel", "suspend", "resume", "dashboard", "agent", "operator", "version", "completion");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command tree for these arguments: only the subcommand named first, or all of them (help, completion). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (args.length > 0 && SUBCOMMANDS.contains(args[0]) && !"completion".equals(args[0])) {
            cl.addSubcommand(args[0], create(args[0]));
        } else if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the version needs no subcommand
        } else {
            SUBCOMMANDS.forEach(name -> cl.addSubcommand(name, create(name)));
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return configure(cl).setOut(out).setErr(err);
    }

    /** Error handling for the whole tree: one line for a usage error, one line for a failure. */
    static CommandLine configure(CommandLine cl) {
        EnvironmentHelp.addTo(cl);
        return cl.setExecutionExceptionHandler(Main::reportFailure).setParameterExceptionHandler(Main::usageError);
    }

    private static Object create(String name) {
        return switch (name) {
            case "run" -> new RunCommand();
            case "validate" -> new ValidateCommand();
            case "trigger" -> new TriggerCommand();
            case "submit" -> new SubmitCommand();
            case "status" -> new StatusCommand();
            case "retry" -> new RetryCommand();
            case "approve" -> new ApproveCommand();
            case "cancel" -> new SpecSwitchCommand.Cancel();
            case "suspend" -> new SpecSwitchCommand.Suspend();
            case "resume" -> new SpecSwitchCommand.Resume();
            case "dashboard" -> new DashboardCommand();
            case "agent" -> new AgentCommand();
            case "operator" -> new OperatorCommand();
            case "version" -> new VersionCommand();
            case "completion" -> new CompletionCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
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
