package dev.arkonis.ark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line as a person would in a shell (kubectl, helm, the ark jar) and keeps what it printed. */
public final class Command {
    /** What a command did: its exit code and its two output streams. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** The command, as a person would type it, and what it printed: for assertion messages and reports. */
        public String transcript() {
            return "$ " + String.join(" ", command) + "\n" + stdout + (stderr.isEmpty() ? "" : "[stderr]\n" + stderr)
                    + "[exit " + exitCode + "]";
        }

        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed:\n" + transcript());
            }
            return this;
        }
    }

    private Command() {
    }

    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("cmd-out", ".txt");
            Path err = Files.createTempFile("cmd-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                // the tests decide which provider keys and clusters exist, whatever the machine's environment holds
                builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL")
                        || k.equals("KUBECONFIG") || k.equals("TASK_QUEUE_URL"));
                builder.environment().putAll(env);
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Result(List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> line(String first, String... rest) {
        List<String> command = new ArrayList<>();
        command.add(first);
        command.addAll(List.of(rest));
        return command;
    }
}
