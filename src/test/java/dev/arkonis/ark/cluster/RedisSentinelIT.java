package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's Redis Sentinel set ({@code redis.sentinel.enabled=true}) as it ships: a primary, a replica and three
 * sentinels running the chart's start scripts with its users and generated passwords, and the operator and agents
 * reaching Redis through the sentinels. The primary stops answering mid-run (SIGSTOP, as a hung or cut-off node: a
 * killed container that the kubelet restarts at once is back before the sentinels' down-after and simply stays the
 * primary); once the sentinels promoted the replica its process is killed (SIGKILL), and its restarted container asks
 * the sentinels and comes back as a replica of the new primary. The operator notices the new primary and sends the
 * runs' tasks again (TasksResent); every run Succeeds, each step once; the time to recover is printed.
 */
@Order(32)
class RedisSentinelIT {
    private static final int RUNS = 4;
    private static final List<String> ROLES = List.of("plan", "draft", "edit");
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: relay}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: plan, model: m, provider: mock, env: [{name: AGENT_MOCK_LATENCY_MS, value: "1500"}]}
                - {name: draft, model: m, provider: mock, env: [{name: AGENT_MOCK_LATENCY_MS, value: "1500"}]}
                - {name: edit, model: m, provider: mock, env: [{name: AGENT_MOCK_LATENCY_MS, value: "1500"}]}
              pipeline:
                - {role: plan, inputs: {prompt: "plan {{ .input.topic }}"}}
                - {role: draft, dependsOn: [plan], inputs: {prompt: "draft {{ .steps.plan.output }}"}}
                - {role: edit, dependsOn: [draft], inputs: {prompt: "edit {{ .steps.draft.output }}"}}
              output: "{{ .steps.edit.output }}"
            """;
    private static final String PRIMARY_NAME = "ark";
    private static final String SENTINELS = "ark-redis-sentinel";
    private static final String SENTINEL_SECRET = "ark-redis-sentinel";
    private static final List<String> NODES = List.of("ark-redis-0", "ark-redis-1");

    private static ArkCluster cluster;
    private static ArkRelease ark;
    private static RedisClient redis;

    @BeforeAll
    static void sentinelSet() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
        redis = RedisClient.create();
        ark.changed();
        ark.upgrade("--reuse-values", "--set", "redis.sentinel.enabled=true").assertSuccess();
        ark.awaitOperator();
        // a failover needs every sentinel to know the replica (from the primary's INFO) and its two peers (hello)
        eventually().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(info(peerUri(i), "sentinel"))
                        .contains("name=" + PRIMARY_NAME + ",status=ok").contains("slaves=1,sentinels=3");
            }
        });
    }

    @AfterAll
    static void singleRedis() {
        if (redis != null) {
            redis.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        ark.changed();
        ark.upgradeToSuiteValues().assertSuccess();
        ark.ensureInstalled();
    }

    @Test
    void theSentinelsPromoteTheReplicaWhenThePrimaryDiesAndEveryRunFinishesEachStepOnce() {
        try (TestNamespace ns = TestNamespace.create(cluster, "failover")) {
            ns.apply(TEAM).assertSuccess();
            ROLES.forEach(role -> ns.awaitReadyPods("relay-" + role, 1));
            IntStream.range(0, RUNS).forEach(i -> ns.startRun("f" + i, "relay", "{topic: \"" + i + "\"}"));
            eventually().atMost(Duration.ofSeconds(120)).until(() -> succeededSteps(ns) > 0);

            String primary = primaryNamedBySentinels();
            assertThat(primary).as("node 0 is the first primary").isEqualTo(NODES.get(0));
            long pid = cluster.running(ArkRelease.NAMESPACE, primary).only().pid();
            int doneBefore = succeededSteps(ns);
            assertThat(doneBefore).as("runs are under way when the primary stops").isLessThan(RUNS * ROLES.size());
            Instant stopped = Instant.now();
            signal(pid, "-STOP");
            String promoted = eventually().atMost(Duration.ofSeconds(60))
                    .until(RedisSentinelIT::primaryNamedBySentinels, NODES.get(1)::equals);
            Duration promotion = Duration.between(stopped, Instant.now());
            signal(pid, "-KILL");

            AtomicReference<Duration> firstStep = new AtomicReference<>();
            try {
                eventually().atMost(Duration.ofSeconds(120)).until(() -> {
                    if (firstStep.get() == null && succeededSteps(ns) > doneBefore) {
                        firstStep.set(Duration.between(stopped, Instant.now()));
                    }
                    return IntStream.range(0, RUNS).allMatch(i -> phase(ns, "f" + i) == RunPhase.Succeeded);
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("not every run Succeeded after the failover:\n" + IntStream.range(0, RUNS)
                        .mapToObj(i -> ns.describe("arkrun", "f" + i)).collect(Collectors.joining("\n")), e);
            }
            Duration allDone = Duration.between(stopped, Instant.now());
            for (int i = 0; i < RUNS; i++) {
                RunStatus status = ns.run("f" + i).getStatus();
                assertThat(status.steps()).as("run f%d", i).extracting(StepStatus::name).containsExactlyElementsOf(ROLES);
                for (StepStatus step : status.steps()) {
                    assertThat(step.phase()).as("f%d %s", i, step.name()).isEqualTo(StepPhase.Succeeded);
                    assertThat(step.attempts()).as("f%d %s ran once", i, step.name()).isEqualTo(1);
                }
                assertThat(status.output()).isEqualTo("mock answer to: edit mock answer to: draft mock answer to: plan " + i);
            }
            // the old primary's container restarted: its start script asked the sentinels and it replicates the new one
            eventually().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(info(operatorUri(primary),
                    "replication")).contains("role:slave")
                    .contains("master_host:" + promoted + ".ark-redis-nodes." + ArkRelease.NAMESPACE + ".svc")
                    .contains("master_link_status:up"));
            // the operator noticed the new primary (its replication id) and sent the runs' tasks again; Events trail
            long resent = eventually().atMost(Duration.ofSeconds(15)).until(() -> IntStream.range(0, RUNS)
                    .filter(i -> ns.eventReasons("f" + i).contains("TasksResent")).count(), count -> count > 0);
            System.out.printf("redis failover on the real control plane: the sentinels promoted %s %d ms after the"
                            + " primary stopped answering; the first step finished %s ms after it, all %d runs Succeeded"
                            + " %d ms after it (%d recorded TasksResent)%n", promoted, promotion.toMillis(),
                    firstStep.get() == null ? "-" : Long.toString(firstStep.get().toMillis()), RUNS, allDone.toMillis(),
                    resent);
        }
    }

    /** The data node the sentinels name as primary, by pod name: asked as clients ask, of the first that answers. */
    private static String primaryNamedBySentinels() {
        for (int i = 0; i < 3; i++) {
            try {
                List<String> address = withConnection(sentinelUri(i, null, secret(SENTINEL_SECRET, "sentinel-password")),
                        c -> c.sync().dispatch(CommandType.SENTINEL, new ValueListOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).add("get-master-addr-by-name").add(PRIMARY_NAME)));
                String host = address.get(0);
                return host.substring(0, host.indexOf('.'));
            } catch (RuntimeException e) {
                // a sentinel that does not answer: ask the next
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    private static RedisURI peerUri(int sentinel) {
        return sentinelUri(sentinel, "ark-sentinel-peer", secret(SENTINEL_SECRET, "peer-password"));
    }

    /** A data node as the operator reaches it: its default user, the chart's operator password. */
    private static RedisURI operatorUri(String node) {
        return RedisURI.builder().withHost(cluster.running(ArkRelease.NAMESPACE, node).ip()).withPort(6379)
                .withPassword(secret(ArkRelease.REDIS_SECRET, "password").toCharArray())
                .withTimeout(Duration.ofSeconds(2)).build();
    }

    private static String info(RedisURI uri, String section) {
        return withConnection(uri, c -> c.sync().info(section));
    }

    private static RedisURI sentinelUri(int sentinel, String user, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(cluster.running(ArkRelease.NAMESPACE, SENTINELS + "-" + sentinel)
                .ip()).withPort(26379).withTimeout(Duration.ofSeconds(2));
        return (user == null ? uri.withPassword(password.toCharArray()) : uri.withAuthentication(user, password)).build();
    }

    private static <T> T withConnection(RedisURI uri, Function<StatefulRedisConnection<String, String>, T> use) {
        try (StatefulRedisConnection<String, String> connection = redis.connect(StringCodec.UTF8, uri)) {
            return use.apply(connection);
        }
    }

    private static String secret(String name, String key) {
        Secret secret = cluster.admin.secrets().inNamespace(ArkRelease.NAMESPACE).withName(name).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static int succeededSteps(TestNamespace ns) {
        return IntStream.range(0, RUNS).mapToObj(i -> ns.run("f" + i)).mapToInt(run -> run == null
                || run.getStatus() == null || run.getStatus().steps() == null ? 0
                : (int) run.getStatus().steps().stream().filter(s -> s.phase() == StepPhase.Succeeded).count()).sum();
    }

    private static RunPhase phase(TestNamespace ns, String run) {
        ArkRun found = ns.run(run);
        return found == null || found.getStatus() == null ? null : found.getStatus().phase();
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill %s %d", signal, pid).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
