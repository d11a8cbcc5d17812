package dev.arkonis.ark.bench;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.cluster.ArkCluster;
import dev.arkonis.ark.cluster.ArkRelease;
import dev.arkonis.ark.cluster.AuditLog;
import dev.arkonis.ark.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * ark on the real control plane: localkube's kube-apiserver and etcd, the chart installed with the suite's values, its
 * operator and the team's agent run as processes by the harness kubelet with the image's JVM flags and JIT
 * ({@code -Dark.harness.imageJit=true}), mock provider with no latency. One run prints: the API server's own ceiling for
 * status writes on this machine (a tight loop of status patches from several threads, each as large as a finished
 * run's status), then N concurrent runs of a 5-step chain after a warm-up of as many: steps/s and what that is of the
 * ceiling given the writes a step costs, the operator's API writes per step by verb and resource (from the audit log,
 * which records every request of a ServiceAccount) and Events per run, the operator's CPU per step and RSS, and step
 * overhead (a step's result written to its stream to the next step's task written to its stream) p50/p99. Arguments:
 * runs at once (100), warm-up rounds of that many (2). Needs a control plane ({@code -Dlocalkube.dir}) and the
 * packaged jar.
 */
public final class ClusterBench {
    /** How long the operator must have written nothing before the runs' writes are counted as done (Events trail). */
    private static final Duration QUIET = Duration.ofSeconds(3);

    public static void main(String[] args) {
        runAndExit(() -> {
            measure(args);
            return null;
        });
    }

    /** A bench's main: exit 0 once it printed its figures, 1 with the trace if it failed. */
    static void runAndExit(java.util.concurrent.Callable<?> bench) {
        try {
            bench.call();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void measure(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int threads = Integer.getInteger("ark.bench.ceilingThreads", 8);
        Duration window = Duration.ofSeconds(Integer.getInteger("ark.bench.ceilingSeconds", 15));
        ArkCluster cluster = ArkCluster.get();
        ArkRelease ark = cluster.ark();
        String values = System.getProperty("ark.bench.values");
        if (values != null) {
            // another preset (values-small.yaml): the operator restarts with its memory limit and in-flight limit
            ark.upgrade("--reset-then-reuse-values", "-f", Path.of(values).toAbsolutePath().toString()).assertSuccess();
        }
        String operatorPod = ark.awaitOperator().getMetadata().getName();
        long operator = cluster.running(ArkRelease.NAMESPACE, operatorPod).only().pid();
        System.out.printf("operator %s%n", cluster.running(ArkRelease.NAMESPACE, operatorPod).only().command().stream()
                .filter(a -> a.startsWith("-XX:MaxRAM") || a.startsWith("-Xm")).toList());
        long apiServer = controlPlanePid(cluster, "kube-apiserver");
        long etcd = controlPlanePid(cluster, "etcd");
        System.out.printf("load average before: %s; operator pod %s (pid %d)%n", loadAverage(), operatorPod, operator);
        RedisClient redisClient = RedisClient.create(ark.redisUrl());
        try (TestNamespace ns = TestNamespace.create(cluster, "bench");
             StatefulRedisConnection<String, String> redis = redisClient.connect()) {
            ns.apply(RunBench.chainTeam().replace("namespace: bench", "namespace: " + ns.name)).assertSuccess();
            ns.awaitReadyPods("chain-w", 1);
            RunWatch watch = RunWatch.start(cluster.admin, ns.name);
            AuditLog audit = new AuditLog(cluster.kube.auditLog());
            long warmFrom = audit.end();
            for (int round = 0; round < warmups; round++) {
                batch(cluster.admin, ns.name, "warm" + round + "-", runs, watch);
            }
            // the warm-up's Events trail its runs: written before anything is measured
            long warmedUp = System.currentTimeMillis();
            Writes.awaitQuiet(audit, warmFrom, ns.name, "", warmedUp);
            System.out.printf("warm-up's last operator write %.1f s after its last run ended%n",
                    (System.currentTimeMillis() - warmedUp) / 1000.0 - QUIET.toSeconds());
            ArkRun finished = cluster.admin.resources(ArkRun.class).inNamespace(ns.name).withName("warm0-0").get();
            // without a warm-up, a finished 5-step run's status as measured (2,958 bytes)
            int statusBytes = finished == null ? 2958
                    : Serialization.asJson(finished.getStatus()).getBytes(StandardCharsets.UTF_8).length;

            double apiCpu = ProcessStats.cpuSeconds(apiServer);
            double etcdCpu = ProcessStats.cpuSeconds(etcd);
            Ceiling ceiling = ceiling(cluster.admin, ns.name, threads, window, statusBytes);
            double ceilingApiCores = (ProcessStats.cpuSeconds(apiServer) - apiCpu) / ceiling.seconds;
            double ceilingEtcdCores = (ProcessStats.cpuSeconds(etcd) - etcdCpu) / ceiling.seconds;
            System.out.printf("API server ceiling: %.0f status patches/s (%d threads, %d s, merge patches of %d bytes"
                            + " like a finished run's status); latency %s; kube-apiserver %.2f cores, etcd %.2f cores%n",
                    ceiling.perSecond(), threads, window.toSeconds(), statusBytes, ceiling.latency, ceilingApiCores,
                    ceilingEtcdCores);

            long auditFrom = audit.end();
            double operatorCpu = ProcessStats.cpuSeconds(operator);
            apiCpu = ProcessStats.cpuSeconds(apiServer);
            etcdCpu = ProcessStats.cpuSeconds(etcd);
            String load = loadAverage();
            Map<String, double[]> bodiesBefore = bodySizes(cluster.admin);
            Batch measured = batch(cluster.admin, ns.name, "run-", runs, watch);
            double operatorSeconds = ProcessStats.cpuSeconds(operator) - operatorCpu;
            double apiCores = (ProcessStats.cpuSeconds(apiServer) - apiCpu) / measured.seconds;
            double etcdCores = (ProcessStats.cpuSeconds(etcd) - etcdCpu) / measured.seconds;
            long rss = ProcessStats.rssMb(operator);
            Writes writes = Writes.awaitQuiet(audit, auditFrom, ns.name, "run-", measured.endMillis);

            int steps = measured.finished * RunBench.STEPS;
            double stepsPerSecond = steps / measured.seconds;
            double writesPerStep = writes.onRuns() / (double) steps;
            System.out.printf("%d concurrent %d-step runs (after %d warm-up rounds of as many): %.1f s, %.1f steps/s;"
                            + " load average %s before, %s after%n", runs, RunBench.STEPS, warmups, measured.seconds,
                    stepsPerSecond, load, loadAverage());
            System.out.printf("operator API writes for the measured runs (on them and their Events): %d, %.2f per step"
                    + " (%.2f per run):%n", writes.onRuns(), writesPerStep, writes.onRuns() / (double) measured.finished);
            writes.byKind.forEach((kind, count) -> System.out.printf("  %-34s %6d  %.2f per step%n", kind, count,
                    count / (double) steps));
            System.out.printf("Events per run: %.2f; runs created without the team label (a metadata write each): %d"
                            + " of %d%n", writes.byKind.getOrDefault("create events 201", 0L) / (double) measured.finished,
                    measured.unlabelled, runs);
            writes.elsewhere.forEach((kind, count) -> System.out.printf("  (others) %-25s %6d%n", kind, count));
            System.out.printf("last operator write for them %.1f s after the last run ended%n", writes.trailSeconds);
            Map<String, double[]> bodiesAfter = bodySizes(cluster.admin);
            for (String kind : List.of("arkonis.dev arkruns patch", " events create")) {
                double[] before = bodiesBefore.getOrDefault(kind, new double[2]);
                double[] after = bodiesAfter.getOrDefault(kind, new double[2]);
                double count = after[1] - before[1];
                System.out.printf("request bodies, %s (all clients, the runs' time): %.0f bytes on average (n=%.0f)%n",
                        kind.strip(), count == 0 ? 0 : (after[0] - before[0]) / count, count);
            }
            System.out.printf("steps/s x writes per step = %.0f writes/s, %.2f of the ceiling; the ceiling allows %.0f"
                            + " steps/s at %.2f writes per step%n", stepsPerSecond * writesPerStep,
                    stepsPerSecond * writesPerStep / ceiling.perSecond(), ceiling.perSecond() / writesPerStep, writesPerStep);
            System.out.printf("operator CPU %.2f ms per step (%.1f s in all); RSS %d MB; kube-apiserver %.2f cores,"
                            + " etcd %.2f cores during the runs%n", operatorSeconds * 1000 / steps, operatorSeconds, rss,
                    apiCores, etcdCores);
            System.out.println("step overhead (dependency's result written -> next task written): "
                    + overhead(redis.sync(), ns.name, "run-", runs));
            System.out.printf("operator memory: peak RSS %d MB over its life, RSS %d MB now; heap after a full GC"
                    + " %.1f MB%n", ProcessStats.peakRssMb(operator), ProcessStats.rssMb(operator),
                    ProcessStats.heapAfterGcMb(operator));
            if (Boolean.getBoolean("ark.bench.histogram")) {
                System.out.println(ProcessStats.histogram(operator, 25));
            }
            watch.close();
        } finally {
            redisClient.shutdown();
        }
    }

    /**
     * Runs created at once (from a few threads, as many clients would), then awaited until every one Succeeded. They
     * carry their team's label as {@code ark trigger}, the dashboard and ArkEvents create them, so the operator writes
     * no metadata for them; but the first {@code ark.bench.unlabelled} (0), created as a bare manifest would be.
     */
    static Batch batch(KubernetesClient client, String namespace, String prefix, int runs, RunWatch watch)
            throws Exception {
        int unlabelled = Math.min(runs, Integer.getInteger("ark.bench.unlabelled", 0));
        ExecutorService creators = Executors.newFixedThreadPool(4);
        long startMillis = System.currentTimeMillis();
        watch.lastChange.set(startMillis);
        List<Future<?>> created = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String name = prefix + r;
            String labels = r < unlabelled ? "" : ", labels: {arkonis.dev/team: chain}";
            created.add(creators.submit(() -> client.resource(client.resources(ArkRun.class).load(
                    new ByteArrayInputStream("""
                            apiVersion: arkonis.dev/v1alpha1
                            kind: ArkRun
                            metadata: {name: %s, namespace: %s%s}
                            spec: {teamRef: {name: chain}}
                            """.formatted(name, namespace, labels)
                            .getBytes(StandardCharsets.UTF_8))).item()).create()));
        }
        for (Future<?> f : created) {
            f.get();
        }
        creators.shutdown();
        List<String> names = IntStream.range(0, runs).mapToObj(r -> prefix + r).toList();
        // every run finishes, or none has changed for a minute (a thousand runs take their first steps together, so
        // none may finish for longer): those left are reported, and the rest measured
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                names.stream().allMatch(watch.succeeded::containsKey)
                        || System.currentTimeMillis() - watch.lastChange.get() > 60_000);
        List<String> stuck = names.stream().filter(n -> !watch.succeeded.containsKey(n)).toList();
        if (!stuck.isEmpty()) {
            System.out.printf("%d of %d runs never finished (%s...): measured without them%n", stuck.size(), runs,
                    stuck.subList(0, Math.min(5, stuck.size())));
        }
        long end = names.stream().filter(watch.succeeded::containsKey).mapToLong(watch.succeeded::get).max().orElseThrow();
        return new Batch((end - startMillis) / 1e3, end, runs - stuck.size(), unlabelled);
    }

    /**
     * @param finished   runs that succeeded (those that never did are left out of every figure)
     * @param unlabelled runs created without their team's label
     */
    record Batch(double seconds, long endMillis, int finished, int unlabelled) {
    }

    /** When a watch first saw each run Succeeded (wall clock, ms). */
    static final class RunWatch implements AutoCloseable {
        final Map<String, Long> succeeded = new ConcurrentHashMap<>();
        /** When any run last changed (wall clock, ms). */
        final java.util.concurrent.atomic.AtomicLong lastChange = new java.util.concurrent.atomic.AtomicLong(
                System.currentTimeMillis());
        private Watch watch;

        static RunWatch start(KubernetesClient client, String namespace) {
            RunWatch runs = new RunWatch();
            runs.watch = client.resources(ArkRun.class).inNamespace(namespace).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ArkRun run) {
                    runs.lastChange.set(System.currentTimeMillis());
                    if (run.getStatus() != null && run.getStatus().phase() == RunPhase.Succeeded) {
                        runs.succeeded.putIfAbsent(run.getMetadata().getName(), System.currentTimeMillis());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            return runs;
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    record Ceiling(long writes, double seconds, Stats latency) {
        double perSecond() {
            return writes / seconds;
        }
    }

    /**
     * The API server's own pace for status writes: a custom resource of the bench's with a status subresource, one
     * object per thread, each thread patching its object's status as fast as the API server answers.
     */
    private static Ceiling ceiling(KubernetesClient client, String namespace, int threads, Duration window, int bytes)
            throws Exception {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().resource(
                new CustomResourceDefinitionBuilder().withNewMetadata().withName("writeprobes.bench.arkonis.dev").endMetadata()
                        .withNewSpec().withGroup("bench.arkonis.dev").withScope("Namespaced")
                        .withNewNames().withKind("WriteProbe").withPlural("writeprobes").withSingular("writeprobe").endNames()
                        .addNewVersion().withName("v1").withServed(true).withStorage(true)
                        .withNewSubresources().withNewStatus().endStatus().endSubresources()
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                        .endVersion().endSpec().build()).serverSideApply();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                        .getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
        var probes = client.genericKubernetesResources("bench.arkonis.dev/v1", "WriteProbe").inNamespace(namespace);
        for (int t = 0; t < threads; t++) {
            String name = "probe-" + t;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    probes.resource(new GenericKubernetesResourceBuilder().withApiVersion("bench.arkonis.dev/v1")
                            .withKind("WriteProbe").withNewMetadata().withName(name).endMetadata().build()).create() != null);
        }
        String payload = "x".repeat(Math.max(1, bytes - 40));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + window.toNanos();
        long start = System.nanoTime();
        List<Future<List<Double>>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "probe-" + t;
            done.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                for (long i = 0; System.nanoTime() < deadline; i++) {
                    long begin = System.nanoTime();
                    probes.withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"status\":{\"n\":" + i + ",\"payload\":\"" + payload + "\"}}");
                    latencies.add((System.nanoTime() - begin) / 1e6);
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : done) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
        return new Ceiling(all.size(), seconds, Stats.of(all.stream().mapToDouble(d -> d).toArray()));
    }

    /** The operator's writes on the measured runs and their Events, by verb and resource, and its others. */
    private record Writes(Map<String, Long> byKind, Map<String, Long> elsewhere, double trailSeconds) {
        long onRuns() {
            return byKind.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Waits until the operator has written nothing for the runs for a while (Events trail), then counts. */
        static Writes awaitQuiet(AuditLog audit, long from, String namespace, String runs, long runsEndedMillis) {
            Writes[] counted = {null};
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        counted[0] = count(audit.writes(AuditLog.OPERATOR, from), namespace, runs, runsEndedMillis);
                        long last = runsEndedMillis + (long) (counted[0].trailSeconds * 1000);
                        return System.currentTimeMillis() - Math.max(last, runsEndedMillis) > QUIET.toMillis();
                    });
            return counted[0];
        }

        private static Writes count(List<AuditLog.Write> writes, String namespace, String runs, long runsEndedMillis) {
            Map<String, Long> onRuns = new TreeMap<>();
            Map<String, Long> elsewhere = new TreeMap<>();
            long last = runsEndedMillis;
            for (AuditLog.Write write : writes) {
                if (namespace.equals(write.namespace()) && write.name().startsWith(runs)) {
                    onRuns.merge(write.kind(), 1L, Long::sum);
                    last = Math.max(last, write.at().toEpochMilli());
                } else {
                    elsewhere.merge(write.kind() + (namespace.equals(write.namespace()) ? ""
                            : " in " + write.namespace()), 1L, Long::sum);
                }
            }
            return new Writes(onRuns, elsewhere, (last - runsEndedMillis) / 1000.0);
        }
    }

    /** A step's result entry on the result stream to the next step's task entry (its sent marker names the entry). */
    private static Stats overhead(RedisCommands<String, String> redis, String namespace, String prefix, int runs) {
        String tasks = namespace + ".chain.w";
        Map<String, Long> resultAt = new HashMap<>();
        redis.xrange(tasks + ".results", Range.create("-", "+")).forEach(m ->
                resultAt.put(m.getBody().get("run") + "/" + m.getBody().get("step"), millis(m.getId())));
        List<Double> overheads = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String run = prefix + r;
            for (int i = 1; i < RunBench.STEPS; i++) {
                String sent = redis.get(tasks + ".sent." + run + "/s" + i + "/1");
                Long dependency = resultAt.get(run + "/s" + (i - 1));
                if (sent != null && dependency != null) {
                    overheads.add((double) (millis(sent) - dependency));
                }
            }
        }
        return Stats.of(overheads.stream().mapToDouble(d -> d).toArray());
    }

    /** The API server's apiserver_request_body_size_bytes, by group, resource and verb: {sum, count}. */
    private static Map<String, double[]> bodySizes(KubernetesClient client) {
        Map<String, double[]> sizes = new HashMap<>();
        Pattern line = Pattern.compile(
                "apiserver_request_body_size_bytes_(sum|count)\\{group=\"([^\"]*)\",resource=\"([^\"]*)\",verb=\"([^\"]*)\"} (\\S+)");
        for (String text : client.raw("/metrics").split("\n")) {
            Matcher m = line.matcher(text);
            if (m.matches()) {
                double[] entry = sizes.computeIfAbsent(m.group(2) + " " + m.group(3) + " " + m.group(4), k -> new double[2]);
                entry[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(5));
            }
        }
        return sizes;
    }

    private static long millis(String streamId) {
        return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
    }

    private static long controlPlanePid(ArkCluster cluster, String name) throws IOException {
        try (var files = Files.list(cluster.kube.dir().resolve("pids"))) {
            Path file = files.filter(f -> f.getFileName().toString().endsWith("-" + name + ".pid")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pid file of " + name));
            return Long.parseLong(Files.readString(file).strip());
        }
    }

    static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }
}
