package dev.arkonis.ark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ark run --watch} of generated teams (20, 200, 2,000 steps; layers of 10, each step depending on two of the
 * layer before, zero-latency mock) on a terminal (a pseudo-terminal of 80x24 made by {@code script}) and piped to a
 * file from the same pseudo-terminal. The live display must cost about nothing: terminal within 1.2x of the pipe.
 */
public final class WatchBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path dir = Files.createTempDirectory("watch-bench");
        System.out.println("steps | terminal p50 | pipe p50 | terminal / pipe");
        for (int steps : new int[] {20, 200, 2000}) {
            Path team = dir.resolve("team-" + steps + ".yaml");
            Files.writeString(team, team(steps));
            String run = java + " -jar target/ark.jar run " + team + " --provider mock --watch";
            // script gives the run a pseudo-terminal (its copy of the screen goes to /dev/null); the piped run goes
            // through script too, with ark's output sent to a file, so both pay the same for script itself
            List<String> terminal = List.of("script", "-q", "-e", "-c", run, "/dev/null");
            List<String> piped = List.of("script", "-q", "-e", "-c", run + " > " + dir.resolve("out.txt"), "/dev/null");
            time(piped, false);
            time(terminal, true);
            double[] t = new double[runs];
            double[] p = new double[runs];
            for (int i = 0; i < runs; i++) {
                t[i] = time(terminal, true);
                p[i] = time(piped, false);
            }
            double tp = Stats.of(t).percentile(50);
            double pp = Stats.of(p).percentile(50);
            System.out.printf("%5d | %9.0f ms | %6.0f ms | %.2fx%n", steps, tp, pp, tp / pp);
        }
    }

    /** The engine benchmark's DAG as a team file. */
    static String team(int steps) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "arkonis.dev/v1alpha1");
        doc.put("kind", "ArkTeam");
        doc.put("metadata", Map.of("name", "bench"));
        doc.put("spec", EngineBench.dag(steps));
        return new ObjectMapper(new YAMLFactory()).writeValueAsString(doc);
    }

    private static double time(List<String> command, boolean terminal) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(new File("/dev/null"))
                .redirectError(new File("/dev/null")).redirectInput(new File("/dev/null"));
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().put("COLUMNS", "80");
        builder.environment().put("LINES", "24");
        long start = System.nanoTime();
        int exit = builder.start().waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
        return ms;
    }
}
