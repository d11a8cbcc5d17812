package dev.arkonis.ark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code ark} jar as users do, as a separate process. */
final class ArkProcess {
    record Result(int exitCode, String stdout, String stderr, Duration took) {
        Result(int exitCode, String stdout, String stderr) {
            this(exitCode, stdout, stderr, Duration.ZERO);
        }
    }

    /** Extra environment, standard input and working directory of one run. */
    record Options(Map<String, String> env, String stdin, Path directory, List<String> command) {
        static Options defaults() {
            return new Options(Map.of(), null, null, null);
        }

        Options withEnv(Map<String, String> more) {
            return new Options(more, stdin, directory, command);
        }

        Options withStdin(String text) {
            return new Options(env, text, directory, command);
        }

        Options in(Path dir) {
            return new Options(env, stdin, dir, command);
        }

        /** Runs this program (a launcher, a copied jar) instead of {@code java -jar target/ark.jar}. */
        Options using(List<String> program) {
            return new Options(env, stdin, directory, program);
        }
    }

    private ArkProcess() {
    }

    static Path jar() {
        return Path.of(System.getProperty("ark.jar", "target/ark.jar")).toAbsolutePath();
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Options.defaults(), args);
    }

    static Result run(Options options, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(options.command() != null ? options.command()
                : List.of(javaBinary(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("ark-out", ".txt");
        Path err = Files.createTempFile("ark-err", ".txt");
        Path in = Files.createTempFile("ark-in", ".txt");
        try {
            Files.writeString(in, options.stdin() == null ? "" : options.stdin());
            ProcessBuilder builder = new ProcessBuilder(command);
            // the tests decide which provider keys exist, whatever the machine's environment holds
            builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL")
                    || k.startsWith("AGENT_") || k.equals("KUBECONFIG"));
            builder.environment().putAll(options.env());
            if (options.directory() != null) {
                builder.directory(options.directory().toFile());
            }
            Instant start = Instant.now();
            Process process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(in.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ark " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), Duration.between(start, Instant.now()));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
