package dev.arkonis.ark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.cluster.ArkCluster;
import dev.arkonis.ark.cluster.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/**
 * What runs leave in etcd: the bytes one finished run and its Events take, then what is left after many runs of a
 * team with the default history limits and a time to live, read from etcd itself (its v3 JSON gateway). Run as
 * {@code HistoryBench [runs] [batch] [ttlSeconds]} on a control plane of localkube, like {@link ClusterBench}.
 */
public final class HistoryBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HistoryBench() {
    }

    public static void main(String[] args) {
        ClusterBench.runAndExit(() -> {
            measure(args);
            return null;
        });
    }

    /** Keys and value bytes under an etcd prefix. */
    private record Stored(long keys, long bytes) {
        double perKey() {
            return keys == 0 ? 0 : bytes / (double) keys;
        }
    }

    private static void measure(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int ttl = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        ArkCluster cluster = ArkCluster.get();
        cluster.ark().awaitOperator();
        String etcd = etcdUrl(cluster);
        try (TestNamespace ns = TestNamespace.create(cluster, "history")) {
            ns.apply(team(ns.name, ttl)).assertSuccess();
            ns.awaitReadyPods("chain-w", 1);
            String runsPrefix = "/registry/arkonis.dev/arkruns/" + ns.name + "/";
            String eventsPrefix = "/registry/events/" + ns.name + "/";
            JsonNode before = status(etcd);
            ClusterBench.RunWatch watch = ClusterBench.RunWatch.start(cluster.admin, ns.name);

            ClusterBench.batch(cluster.admin, ns.name, "one-", 1, watch);
            Stored one = stored(etcd, runsPrefix + "one-0");
            Stored oneEvents = stored(etcd, eventsPrefix + "one-0.");
            System.out.printf("one finished 1-step run: the ArkRun %d bytes in etcd, its Events %d (%d bytes)%n",
                    one.bytes, oneEvents.keys, oneEvents.bytes);

            long started = System.currentTimeMillis();
            int finished = 0;
            for (int round = 0; finished < runs; round++) {
                int size = Math.min(batch, runs - finished);
                finished += ClusterBench.batch(cluster.admin, ns.name, "h" + round + "-", size, watch).finished();
                if (finished % 2_000 < batch) {
                    Stored now = stored(etcd, runsPrefix);
                    System.out.printf("  %,d runs finished in %.0f s: %d ArkRuns in etcd (%,d bytes)%n", finished,
                            (System.currentTimeMillis() - started) / 1e3, now.keys, now.bytes);
                }
            }
            Stored left = stored(etcd, runsPrefix);
            Stored events = stored(etcd, eventsPrefix);
            JsonNode after = status(etcd);
            System.out.printf("after %,d runs: %d ArkRuns in etcd (%,d bytes, %.0f a run; history limit 10 successful),"
                            + " %,d Events (%,d bytes, %.0f each; the API server keeps Events for its --event-ttl, 1 h"
                            + " by default)%n", finished + 1, left.keys, left.bytes, left.perKey(), events.keys,
                    events.bytes, events.perKey());
            System.out.printf("etcd database: %,d -> %,d bytes, in use %,d -> %,d (old revisions stay until the API"
                            + " server compacts them, every 5 min by default)%n", before.path("dbSize").asLong(),
                    after.path("dbSize").asLong(), before.path("dbSizeInUse").asLong(),
                    after.path("dbSizeInUse").asLong());
            long ttlFrom = System.currentTimeMillis();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(ttl + 120L)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stored(etcd, runsPrefix).keys == 0);
            System.out.printf("every ArkRun gone %.0f s after the last finished (ttlSecondsAfterFinished %d)%n",
                    (System.currentTimeMillis() - ttlFrom) / 1e3, ttl);
            watch.close();
        }
    }

    /** A one-step team with the default history limits and a time to live for its finished runs. */
    private static String team(String namespace, int ttl) {
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: chain, namespace: %s}
                spec:
                  ttlSecondsAfterFinished: %d
                  roles: [{name: w, model: m, provider: mock, limits: {maxConcurrentTasks: 50}}]
                  pipeline:
                    - {name: s0, role: w, inputs: {prompt: "step 0"}}
                """.formatted(namespace, ttl);
    }

    /** etcd's client URL, as the API server was given it. */
    private static String etcdUrl(ArkCluster cluster) throws Exception {
        for (Path proc : Files.list(Path.of("/proc")).filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
            try {
                String[] cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
                if (cmd.length > 0 && cmd[0].endsWith("kube-apiserver")) {
                    return Arrays.stream(cmd).filter(a -> a.startsWith("--etcd-servers=")).findFirst().orElseThrow()
                            .substring("--etcd-servers=".length()).split(",")[0];
                }
            } catch (java.io.IOException gone) {
                // a process that ended while listed
            }
        }
        throw new IllegalStateException("no kube-apiserver running");
    }

    private static JsonNode post(String etcd, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(etcd + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode status(String etcd) throws Exception {
        return post(etcd, "/v3/maintenance/status", "{}");
    }

    /** The keys under a prefix and the bytes of their values, as etcd stores them. */
    private static Stored stored(String etcd, String prefix) throws Exception {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] end = start.clone();
        end[end.length - 1]++;
        Base64.Encoder b64 = Base64.getEncoder();
        JsonNode range = post(etcd, "/v3/kv/range", JSON.createObjectNode().put("key", b64.encodeToString(start))
                .put("range_end", b64.encodeToString(end)).toString());
        long bytes = 0;
        for (JsonNode kv : range.path("kvs")) {
            bytes += Base64.getDecoder().decode(kv.path("value").asText()).length;
        }
        return new Stored(range.path("count").asLong(0), bytes);
    }
}
