package dev.arkonis.ark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code ark} jar as users do, as a separate process. */
final class ArkProcess {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private ArkProcess() {
    }

    static Path jar() {
        return Path.of(System.getProperty("ark.jar", "target/ark.jar"));
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("ark-out", ".txt");
        Path err = Files.createTempFile("ark-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // the tests decide which provider keys exist, whatever the machine's environment holds
            builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL"));
            Process process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ark " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
