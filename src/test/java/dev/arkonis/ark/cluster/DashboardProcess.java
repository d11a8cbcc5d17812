package dev.arkonis.ark.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code ark dashboard} started as a person starts it (the packaged jar, a kubeconfig), stopped on close. */
final class DashboardProcess implements AutoCloseable {
    private final Process process;
    /** The link it printed: the page to open (with the sign-in code after '#', in code mode). */
    final String url;
    /** Where it serves, {@code http://127.0.0.1:<port>}. */
    final String base;

    private DashboardProcess(Process process, String url) {
        this.process = process;
        this.url = url;
        this.base = url.substring(0, url.indexOf('/', "http://".length()));
    }

    static DashboardProcess start(ArkCluster cluster, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ArkCluster.jar().toString(), "dashboard", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(k -> k.equals("KUBECONFIG") || k.equals("TASK_QUEUE_URL"));
        builder.environment().putAll(cluster.kube.shellEnv());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        if (line.startsWith("ark dashboard: http")) {
                            // keep reading, so the process never blocks on a full pipe
                            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "dashboard-output");
                            drain.setDaemon(true);
                            drain.start();
                            return line.substring("ark dashboard: ".length()).strip();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("ark dashboard ended without printing its URL:\n" + seen);
            });
            return new DashboardProcess(process, printed.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("could not start ark dashboard: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
