package dev.arkonis.ark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one ark executable: every subcommand of SPEC 6. */
@Command(name = "ark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run teams of LLM agents as pipelines, locally or on Kubernetes.",
        exitCodeOnInvalidInput = ExitCodes.INVALID,
        subcommands = {RunCommand.class, ValidateCommand.class, TriggerCommand.class, StatusCommand.class,
                RetryCommand.class, AgentCommand.class, OperatorCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportFailure)
                .execute(args);
    }

    /** An unexpected error is one line for the user; ARK_DEBUG=1 adds the stack trace for us. */
    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("ARK_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return ExitCodes.RUN_FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ark " + (v == null ? "dev" : v)};
        }
    }
}
