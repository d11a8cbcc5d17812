package dev.arkonis.ark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code ark operator} with a given environment, for tests outside the cli package. */
public final class OperatorCommandAccess {
    public record Result(int exitCode, String err) {
    }

    private OperatorCommandAccess() {
    }

    public static Result run(Map<String, String> env) {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new OperatorCommand(env)).setErr(new PrintWriter(err, true)).execute();
        return new Result(code, err.toString());
    }
}
