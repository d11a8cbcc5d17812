package dev.arkonis.ark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one ark executable: every subcommand of SPEC 6. */
@Command(name = "ark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run teams of LLM agents as pipelines, locally or on Kubernetes.",
        exitCodeOnInvalidInput = ExitCodes.INVALID,
        subcommands = {})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ark " + (v == null ? "dev" : v)};
        }
    }
}
