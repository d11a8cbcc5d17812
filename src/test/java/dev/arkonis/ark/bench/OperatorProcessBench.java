package dev.arkonis.ark.bench;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import dev.arkonis.ark.cluster.kubelet.ImageJvmFlags;

/**
 * The operator as its own process (`java <the image's JVM flags> -jar target/ark.jar operator`, as its container runs it)
 * against the mock API server through a kubeconfig, so its CPU and resident memory can be read alone: idle (no run
 * yet), then after batches of concurrent 5-step runs, then idle again. Agents run in this JVM, started from the
 * Deployments the operator created. Arguments: runs at once (100), runs in all (100); {@code -Dark.bench.jar} picks
 * the jar (to compare builds in one session), {@code -Dark.bench.idleSeconds} the idle window (20),
 * {@code -Dark.bench.jvmFlags="..."} replaces the image's JVM flags, {@code -Dark.bench.env=NAME=value,...} adds
 * operator settings, {@code -Dark.bench.nmt=true} prints the JVM's native memory summary and threads after the runs.
 */
public final class OperatorProcessBench {
    private static final String NS = "bench";
    // the mock server logs every request at INFO through java.util.logging; held so the level sticks
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : batch;
        int idleSeconds = Integer.getInteger("ark.bench.idleSeconds", 20);
        String jar = System.getProperty("ark.bench.jar", "target/ark.jar");
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        Path kubeconfig = Files.createTempFile("ark-bench", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: bench}}]
                current-context: mock
                users: [{name: mock, user: {token: bench}}]
                """.formatted(server.url("/").replaceAll("/$", "")));
        try (RedisFixture redis = RedisFixture.start(); KubernetesClient client = server.createClient()) {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // the container's JVM flags (pom.xml, jib jvmFlags), or others to compare in one session; MaxRAM stands in
            // for the chart's 512Mi memory limit
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin));
            String flags = System.getProperty("ark.bench.jvmFlags");
            command.addAll(flags == null ? ImageJvmFlags.fromPom()
                    : java.util.Arrays.stream(flags.split(" ")).filter(f -> !f.isBlank()).toList());
            command.add("-XX:MaxRAM=" + System.getProperty("ark.bench.maxRam", "512m"));
            if (Boolean.getBoolean("ark.bench.nmt")) {
                command.add("-XX:NativeMemoryTracking=summary");
            }
            command.addAll(java.util.List.of("-jar", jar, "operator"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile("ark-operator", ".log").toFile());
            builder.environment().putAll(java.util.Map.of("KUBECONFIG", kubeconfig.toString(), "TASK_QUEUE_URL", redis.url(),
                    "AGENT_IMAGE", "arkonis/ark:bench", "OPERATOR_NAMESPACE", "ark-system", "LEADER_ELECTION", "false",
                    "HEALTH_PORT", "0", "TRIGGER_WEBHOOK_PORT", "0", "POD_NAME", "operator-0",
                    "SERVER_SIDE_APPLY", "false")); // the bench's API server is fabric8's mock
            // more of the operator's settings, to compare them in one session: -Dark.bench.env=NAME=value,NAME=value
            java.util.Arrays.stream(System.getProperty("ark.bench.env", "").split(",")).filter(e -> e.contains("="))
                    .forEach(e -> builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
            Process operator = builder.start();
            try {
                client.resource(client.resources(ArkTeam.class).load(new ByteArrayInputStream(
                        RunBench.chainTeam().getBytes(StandardCharsets.UTF_8))).item()).create();
                // the operator process starts in a few seconds; its first work is the team's agent Deployment
                MockClusterWait.until(Duration.ofSeconds(60),
                        () -> client.apps().deployments().inNamespace(NS).withName("chain-w").get() != null);
                PodAgents agents = new PodAgents(client);
                agents.start(NS, "chain-w");
                // settle, then read the idle figures: nothing to do yet, no result stream watched
                MockClusterWait.until(Duration.ofSeconds(60), () -> ProcessStats.rssMb(operator.pid()) > 0);
                double idleCpu = cpuPercent(operator.pid(), Duration.ofSeconds(idleSeconds));
                long idle = ProcessStats.rssMb(operator.pid());
                long start = System.nanoTime();
                for (int first = 0; first < runs; first += batch) {
                    int last = Math.min(runs, first + batch);
                    for (int r = first; r < last; r++) {
                        client.resource(client.resources(ArkRun.class).load(new ByteArrayInputStream("""
                                apiVersion: arkonis.dev/v1alpha1
                                kind: ArkRun
                                metadata: {name: r-%d, namespace: bench}
                                spec: {teamRef: {name: chain}}
                                """.formatted(r).getBytes(StandardCharsets.UTF_8))).item()).create();
                    }
                    for (int r = first; r < last; r++) {
                        String name = "r-" + r;
                        try {
                            MockClusterWait.until(Duration.ofSeconds(180), () -> {
                                ArkRun run = client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
                                return run != null && run.getStatus() != null && run.getStatus().phase() == RunPhase.Succeeded;
                            });
                        } catch (RuntimeException e) {
                            explainStuck(client, redis, name);
                            throw e;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long after = ProcessStats.rssMb(operator.pid());
                double idleCpuAfter = cpuPercent(operator.pid(), Duration.ofSeconds(idleSeconds));
                long liveHeap = liveHeapMb(operator.pid());
                System.out.printf("operator process (%s): idle CPU %.2f %% of a core before any run, %.2f %% after the runs"
                                + " (%d s windows); RSS idle %d MB, after %d runs (%d at once, 5 steps each) %d MB"
                                + " (live heap after a full GC %d MB); %.0f steps/s%n",
                        jar, idleCpu, idleCpuAfter, idleSeconds, idle, runs, batch, after, liveHeap, runs * RunBench.STEPS / seconds);
                if (Boolean.getBoolean("ark.bench.nmt")) { // where the RSS goes, by the JVM's own accounting
                    System.out.println(jcmd(operator.pid(), "VM.native_memory", "summary"));
                    System.out.println("threads by name: " + threadsByName(jcmd(operator.pid(), "Thread.print")));
                }
                agents.close();
            } finally {
                operator.destroy();
                operator.waitFor();
                server.destroy();
            }
        }
    }

    /** Where the task of each step still running in a stuck run is: in the task stream, pending at an agent, answered. */
    private static void explainStuck(KubernetesClient client, RedisFixture redis, String name) {
        ArkRun run = client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
        System.out.println("stuck run " + name + ": " + (run == null ? "gone" : run.getStatus()));
        if (run == null || run.getStatus() == null || run.getStatus().steps() == null) {
            return;
        }
        var commands = redis.redis();
        for (var step : run.getStatus().steps()) {
            if (step.taskID() == null) {
                continue;
            }
            String tasks = NS + ".chain." + step.role();
            commands.xrange(tasks, io.lettuce.core.Range.create("-", "+")).stream()
                    .filter(m -> step.taskID().equals(m.getBody().get("task")))
                    .forEach(m -> System.out.println("  task " + step.taskID() + " in " + tasks + " as " + m.getId()));
            commands.xpending(tasks, "ark-agents", io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(10_000))
                    .stream().forEach(p -> System.out.println("  pending at agents: " + p.getId() + " " + p.getConsumer()
                            + " idle " + p.getMsSinceLastDelivery() + " ms, delivered " + p.getRedeliveryCount()));
            commands.xrange(tasks + ".results", io.lettuce.core.Range.create("-", "+")).stream()
                    .filter(m -> step.taskID().equals(m.getBody().get("task")))
                    .forEach(m -> System.out.println("  result of " + step.taskID() + " as " + m.getId() + ": " + m.getBody()));
            commands.xpending(tasks + ".results", "ark-operator", io.lettuce.core.Range.create("-", "+"),
                    io.lettuce.core.Limit.from(10_000)).stream().forEach(p -> System.out.println("  result pending at "
                    + p.getConsumer() + ": " + p.getId() + " idle " + p.getMsSinceLastDelivery() + " ms"));
            System.out.println("  sent marker: " + commands.get(tasks + ".sent." + step.taskID()) + ", keys "
                    + commands.keys(tasks + ".sent.*" + step.name() + "*"));
        }
    }

    /** Heap in use after a full collection, read with the JDK's jcmd: what the operator really keeps. */
    private static long liveHeapMb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String text = jcmd(pid, "GC.heap_info");
        long usedKb = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(text);
        while (m.find()) {
            usedKb += Long.parseLong(m.group(1));
        }
        return usedKb / 1024;
    }

    /** CPU time (user + system) the process used over the window, as a share of one core. */
    private static double cpuPercent(long pid, Duration window) throws Exception {
        long ticksBefore = ProcessStats.cpuTicks(pid);
        long startNanos = System.nanoTime();
        MockClusterWait.sleep(window);
        long ticks = ProcessStats.cpuTicks(pid) - ticksBefore;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return ticks / (double) ProcessStats.CLOCK_TICKS / elapsed * 100;
    }

    /** Thread names with their numbers taken out, counted: which pools the threads belong to. */
    private static java.util.Map<String, Long> threadsByName(String threadDump) {
        return threadDump.lines().filter(l -> l.startsWith("\""))
                .map(l -> l.substring(1, l.indexOf('"', 1)).replaceAll("\\d+", "#"))
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    private static String jcmd(long pid, String... command) throws Exception {
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(java.util.List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return text;
    }

    /** A deadline-bounded wait for the benchmark (Awaitility, as in the tests). */
    private static final class MockClusterWait {
        static void until(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(condition);
        }

        /** A measurement window, not a wait for a condition: the benchmark watches the operator do nothing. */
        static void sleep(Duration window) {
            org.awaitility.Awaitility.await().pollDelay(window).atMost(window.plusSeconds(5)).until(() -> true);
        }
    }
}
