package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.RedisRunTransport;
import dev.arkonis.ark.queue.ResultReader;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.telemetry.Telemetry;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Results read from a real Redis and handed to their runs as the operator's cache of runs allows. */
class ResultEventSourceTest {
    private static final String RESULTS = "ns.chain.w.results";
    private static final String FORGED = "ns.chain.other.results";
    private static final ResourceID RUN = new ResourceID("run-1", "ns");
    /** The run as the cache has it between its start's label write and its first status write: no steps yet. */
    private static final ArkRun STARTING = run("1", "");
    /** The run once the cache has the status that sent step s0's first attempt to role w. */
    private static final ArkRun SENT = run("2", """
            status:
              phase: Running
              steps:
                - {name: s0, role: w, phase: Running, attempts: 1, taskID: run-1/s0/1}
            """);

    private static RedisFixture redis;
    private RedisConnections connections;
    private ResultEventSource source;
    private final AtomicReference<ArkRun> cached = new AtomicReference<>(STARTING);
    private final List<ResourceID> woken = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        redis.flushAll();
        connections = RedisConnections.open(redis.url());
        RedisRunTransport transport = RedisRunTransport.on(connections, "operator-0", Duration.ofHours(1),
                Duration.ofSeconds(30));
        transport.watch(RESULTS);
        transport.watch(FORGED);
        source = new ResultEventSource(transport, Telemetry.none());
        source.bind(new OneRun(cached));
        source.setEventHandler(event -> woken.add(event.getRelatedCustomResourceID()));
        source.start();
    }

    @AfterEach
    void tearDown() {
        source.stop();
        connections.close();
    }

    private static ArkRun run(String resourceVersion, String status) {
        return Serialization.unmarshal("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: run-1, namespace: ns, resourceVersion: "%s"}
                spec: {teamRef: {name: chain}}
                """.formatted(resourceVersion) + status, ArkRun.class);
    }

    private void answer(String task, String step, String attempt) {
        redis.redis().xadd(RESULTS, TaskResult.succeeded(task, "done", 3, 4, "pod-a", 1, Map.of("run", "run-1",
                "namespace", "ns", "step", step, "attempt", attempt, "team", "chain")).toFields());
    }

    private long pending() {
        return redis.redis().xpending(RESULTS, ResultReader.GROUP).getCount();
    }

    /** The id of the last entry the operator's group read from the stream. */
    private static String lastRead(String stream) {
        for (Object group : redis.redis().xinfoGroups(stream)) {
            List<?> fields = (List<?>) group;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("last-delivered-id".equals(String.valueOf(fields.get(i)))) {
                    return String.valueOf(fields.get(i + 1));
                }
            }
        }
        return null;
    }

    private List<String> delivered() {
        Set<PendingResults> pending = source.getSecondaryResources(cached.get());
        return pending.stream().flatMap(p -> p.results().stream()).map(r -> r.task()).toList();
    }

    @Test
    void aResultThatOutrunsTheCachedCopyOfItsRunWaitsForItInsteadOfBeingDropped() {
        answer("run-1/s0/1", "s0", "1");

        // the agent answered before the operator's cache saw the status that sent the task
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 1);
        assertThat(delivered()).isEmpty();

        cached.set(SENT);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(delivered()).containsExactly("run-1/s0/1");
            assertThat(woken).contains(RUN);
        });
        assertThat(pending()).as("acknowledged only once the run's status holds it").isEqualTo(1);
    }

    @Test
    void aResultForAnAttemptTheCopyHasRecordedOnAnotherRoleIsStillDropped() {
        cached.set(SENT);
        String forged = redis.redis().xadd(FORGED, TaskResult.succeeded("run-1/s0/1", "forged", 3, 4, "pod-x", 1,
                Map.of("run", "run-1", "namespace", "ns", "step", "s0", "attempt", "1", "team", "chain")).toFields());

        await().atMost(Duration.ofSeconds(10)).until(() -> forged.equals(lastRead(FORGED))
                && redis.redis().xpending(FORGED, ResultReader.GROUP).getCount() == 0);
        assertThat(delivered()).isEmpty();
        assertThat(woken).isEmpty();
    }

    /** The operator's cache of runs, holding one run as the test sets it. */
    private record OneRun(AtomicReference<ArkRun> run) implements IndexedResourceCache<ArkRun> {
        @Override
        public Optional<ArkRun> get(ResourceID id) {
            return id.equals(RUN) ? Optional.of(run.get()) : Optional.empty();
        }

        @Override
        public Stream<ResourceID> keys() {
            return Stream.of(RUN);
        }

        @Override
        public Stream<ArkRun> list(Predicate<ArkRun> predicate) {
            return Stream.of(run.get()).filter(predicate);
        }

        @Override
        public Stream<ArkRun> list(String namespace, Predicate<ArkRun> predicate) {
            return list(predicate.and(r -> namespace.equals(r.getMetadata().getNamespace())));
        }

        @Override
        public List<ArkRun> byIndex(String index, String key) {
            return List.of();
        }
    }
}
