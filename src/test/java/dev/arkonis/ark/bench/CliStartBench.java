package dev.arkonis.ark.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * Wall time of {@code ark run examples/linear.yaml --provider mock} from process start to exit, JVM start included.
 * Run after {@code mvn package}: the jar under test is target/ark.jar.
 */
public final class CliStartBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-jar", "target/ark.jar", "run", "examples/linear.yaml", "--provider", "mock");
        List<String> version = List.of(java, "-version");
        time(version, 3);
        time(command, 3);
        Stats jvm = time(version, runs);
        Stats ark = time(command, runs);
        System.out.println("java -version (bare JVM start/exit): " + jvm);
        System.out.println("ark run examples/linear.yaml --provider mock: " + ark);
        System.out.printf("target: p50 under 1500 ms -> %s; ark p50 / bare JVM p50 = %.1fx%n",
                ark.percentile(50) < 1500 ? "met" : "NOT met", ark.percentile(50) / jvm.percentile(50));
    }

    private static Stats time(List<String> command, int runs) throws Exception {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(new File("/dev/null"))
                    .redirectError(new File("/dev/null")).start();
            int exit = p.waitFor();
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
            }
        }
        return Stats.of(millis);
    }
}
