package dev.arkonis.ark.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wall time of CLI commands from process start to exit, JVM start included: through bin/ark (the class-data archive
 * built at package time) and through plain {@code java -jar}, beside a bare {@code java -version}. Commands take
 * turns, so a slower moment of the machine touches all of them alike. Run after {@code mvn package}.
 */
public final class CliStartBench {
    private record Case(String label, List<String> command) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Case> cases = List.of(
                new Case("java -version (bare JVM start/exit)", List.of(java, "-version")),
                new Case("bin/ark run examples/linear.yaml --provider mock", List.of("bin/ark", "run", "examples/linear.yaml", "--provider", "mock")),
                new Case("bin/ark validate examples/linear.yaml", List.of("bin/ark", "validate", "examples/linear.yaml")),
                new Case("bin/ark --version", List.of("bin/ark", "--version")),
                new Case("bin/ark run examples/structured.yaml --provider mock", List.of("bin/ark", "run", "examples/structured.yaml", "--provider", "mock")),
                new Case("java -jar target/ark.jar run examples/linear.yaml --provider mock",
                        List.of(java, "-jar", "target/ark.jar", "run", "examples/linear.yaml", "--provider", "mock")));
        List<double[]> millis = new ArrayList<>();
        for (Case c : cases) {
            millis.add(new double[runs]);
            time(c.command());
            time(c.command());
        }
        for (int i = 0; i < runs; i++) {
            for (int c = 0; c < cases.size(); c++) {
                millis.get(c)[i] = time(cases.get(c).command());
            }
        }
        double jvm = Stats.of(millis.get(0)).percentile(50);
        for (int c = 0; c < cases.size(); c++) {
            Stats stats = Stats.of(millis.get(c));
            System.out.printf("%-68s %s; p50 %.1fx bare JVM%n", cases.get(c).label() + ":", stats, stats.percentile(50) / jvm);
        }
        double run = Stats.of(millis.get(1)).percentile(50);
        System.out.printf("target: bin/ark run p50 under 500 ms -> %s%n", run < 500 ? "met" : "NOT met");
    }

    private static double time(List<String> command) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(new File("/dev/null"))
                .redirectError(new File("/dev/null")).start();
        int exit = p.waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
        return ms;
    }
}
