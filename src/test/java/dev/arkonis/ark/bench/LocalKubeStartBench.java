package dev.arkonis.ark.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Warm start of the test control plane: wall time of {@code src/test/cluster/localkube up} (binaries already
 * built, so this is etcd, kube-apiserver, kube-controller-manager and kube-scheduler starting and answering ready,
 * plus the default ServiceAccount appearing) and of {@code down}, n times, in a scratch state directory.
 * Usage: {@code LocalKubeStartBench [n]}.
 */
public final class LocalKubeStartBench {
    private LocalKubeStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("localkube-bench");
        String launcher = Path.of("src/test/cluster/localkube").toAbsolutePath().toString();
        run(launcher, "build", dir);
        double[] ups = new double[n];
        double[] downs = new double[n];
        for (int i = 0; i < n; i++) {
            ups[i] = run(launcher, "up", dir);
            downs[i] = run(launcher, "down", dir);
        }
        System.out.println("localkube up (warm, binaries cached): " + Stats.of(ups));
        System.out.println("localkube down:                       " + Stats.of(downs));
        Process du = new ProcessBuilder("du", "-sh", dir.toString()).redirectErrorStream(true).start();
        System.out.println("state directory after a run: " + new String(du.getInputStream().readAllBytes()).strip());
    }

    private static double run(String launcher, String command, Path dir) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(launcher, command, "--dir", dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("localkube " + command + " failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
