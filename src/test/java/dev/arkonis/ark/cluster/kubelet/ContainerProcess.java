package dev.arkonis.ark.cluster.kubelet;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One OS process playing one container: its own environment only (nothing inherited from the test JVM), output
 * in {@code <container>.log} (once it ended, in {@code <container>.previous.log}, as `kubectl logs --previous`
 * shows it), and a pid file that `localkube down` reads, so no process outlives the build.
 */
final class ContainerProcess {
    private final Process process;
    private final Path pidFile;
    private final Path log;
    private final Instant startedAt = Instant.now();

    private ContainerProcess(Process process, Path pidFile, Path log) {
        this.process = process;
        this.pidFile = pidFile;
        this.log = log;
    }

    static ContainerProcess start(List<String> command, Map<String, String> env, Path workDir, Path log, Path pidFile)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        Files.writeString(pidFile, process.pid() + "\n");
        return new ContainerProcess(process, pidFile, log);
    }

    Instant startedAt() {
        return startedAt;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** SIGTERM, then SIGKILL after the grace period, as a kubelet stops a container. */
    int stop(long graceSeconds) {
        try {
            process.destroy();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            forget();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The process ended: its output becomes the previous run's, as `kubectl logs --previous` shows it. */
    void exited() {
        forget();
        try {
            Files.move(log, log.resolveSibling(log.getFileName().toString().replace(".log", ".previous.log")),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // nothing was written
        }
    }

    void forget() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // the pid check of `localkube down` makes a stale file harmless
        }
    }
}
