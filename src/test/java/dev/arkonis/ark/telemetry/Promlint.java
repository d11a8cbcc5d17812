package dev.arkonis.ark.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.arkonis.ark.tools.GoProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own reading of a scrape: the Go program in src/test/promlint (prometheus/common's text parser and
 * client_golang's promlint, what {@code promtool check metrics} runs), built once from the Go module proxy into a
 * cache outside the checkout, keyed by its sources.
 */
public final class Promlint {
    private static final GoProgram PROGRAM = new GoProgram(Path.of("src/test/promlint"), "promlint", ".",
            List.of("main.go", "go.mod", "go.sum"));

    /** What Prometheus read: each sample by its name and labels, and the naming problems it found. */
    public record Reading(Map<String, Double> samples, List<String> problems) {
        public double value(String sample) {
            Double value = samples.get(sample);
            if (value == null) {
                throw new AssertionError("no sample " + sample + " in " + samples.keySet());
            }
            return value;
        }

        /** The sum of every sample whose name and labels start with {@code prefix}. */
        public double sum(String prefix) {
            return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    private Promlint() {
    }

    /** Parses and lints the text; a parse error fails with Prometheus's message. */
    public static Reading read(String exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PROGRAM.binary().toString()).redirectErrorStream(false).start();
        process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("Prometheus cannot read the scrape: " + err + "\n" + exposition);
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("lint: ")) {
                problems.add(line.substring(6));
            } else if (!line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new Reading(samples, problems);
    }
}
