package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.lettuce.core.Range;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's in-flight limit (MAX_RUNS_IN_FLIGHT) on the mock API server with a real Redis: runs beyond it wait
 * Pending with their place in line and nothing sent, and start in the order they were created as runs in flight
 * finish or are deleted.
 */
class InFlightLimitTest {
    private static final String NS = "team-ns";
    private static final String TASKS = "team-ns.solo.worker";

    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;
    private PodAgents agents;
    private final List<String> startOrder = new CopyOnWriteArrayList<>();
    private Watch watch;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0",
                "MAX_RUNS_IN_FLIGHT", "2"), connections);
        agents = new PodAgents(cluster.client);
        watch = cluster.client.resources(ArkRun.class).inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ArkRun run) {
                if (RunStatus.started(run.getStatus()) && !startOrder.contains(run.getMetadata().getName())) {
                    startOrder.add(run.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: solo, namespace: team-ns}
                spec:
                  roles: [{name: worker, model: m, provider: mock}]
                  pipeline: [{role: worker, inputs: {prompt: work}}]
                """, ArkTeam.class);
    }

    @AfterEach
    void stop() {
        watch.close();
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    @Test
    void runsBeyondTheLimitWaitInLineWithNothingSentAndStartInCreationOrderAsPlacesFree() throws Exception {
        // no agent yet: the runs let in stay Running with their tasks queued
        for (int i = 1; i <= 5; i++) {
            run("q" + i);
            // one creation after the other, as the API server orders them
            String name = "q" + i;
            eventually().until(() -> get(name).getStatus() != null);
        }
        eventually().until(() -> phase("q1") == RunPhase.Running && phase("q2") == RunPhase.Running);
        for (String waiting : List.of("q3", "q4", "q5")) {
            RunStatus status = get(waiting).getStatus();
            assertThat(status.phase()).isEqualTo(RunPhase.Pending);
            assertThat(status.reason()).isEqualTo("InFlightLimit");
            assertThat(status.conditions()).singleElement().satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("Unknown");
                assertThat(c.getReason()).isEqualTo("InFlightLimit");
            });
            assertThat(get(waiting).getMetadata().getLabels()).as("listed with its team")
                    .containsEntry(Ark.LABEL_TEAM, "solo");
        }
        assertThat(get("q3").getStatus().message()).isEqualTo("waiting: 2 runs in flight, limit 2; 1st in line");
        assertThat(get("q4").getStatus().message()).isEqualTo("waiting: 2 runs in flight, limit 2; 2nd in line");
        assertThat(get("q5").getStatus().message()).isEqualTo("waiting: 2 runs in flight, limit 2; 3rd in line");
        assertThat(taskRuns()).as("nothing is sent for a run that waits").containsExactly("q1", "q2");

        // a run in flight deleted: the first in line starts, the others still wait
        cluster.client.resources(ArkRun.class).inNamespace(NS).withName("q1").delete();
        awaitPhase("q3", RunPhase.Running);
        assertThat(phase("q4")).isEqualTo(RunPhase.Pending);
        assertThat(phase("q5")).isEqualTo(RunPhase.Pending);
        assertThat(taskRuns()).containsExactly("q2", "q3");
        assertThat(eventReasons("q3")).as("told once that it waits, not on every look").containsOnlyOnce("RunQueued");
        eventually().untilAsserted(() -> assertThat(eventMessages("q3")).anyMatch(m -> m.contains("run of team")));
        assertThat(eventReasons("q4")).containsOnlyOnce("RunQueued");
        assertThat(eventMessages("q4")).noneMatch(m -> m.contains("run of team"));

        // runs in flight finishing: the rest are let in one by one, first come first, and all finish
        agents.start(NS, "solo-worker");
        for (String name : List.of("q2", "q3", "q4", "q5")) {
            awaitPhase(name, RunPhase.Succeeded);
        }
        // q4 and q5 may be let in by the same release (two places freed at once) and start in either order
        assertThat(startOrder.subList(0, 3)).containsExactly("q1", "q2", "q3");
        assertThat(startOrder.subList(3, 5)).containsExactlyInAnyOrder("q4", "q5");
        assertThat(get("q5").getStatus().message()).isNull();
        assertThat(get("q5").getStatus().reason()).isNull();
    }

    @Test
    void aCancelledRunDoesNotWaitForAPlace() {
        IntStream.rangeClosed(1, 2).forEach(i -> run("c" + i));
        eventually().until(() -> phase("c1") == RunPhase.Running && phase("c2") == RunPhase.Running);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: c3, namespace: team-ns}
                spec: {teamRef: {name: solo}, cancel: true}
                """, ArkRun.class);
        eventually().until(() -> phase("c3") == RunPhase.Cancelled);
        assertThat(taskRuns()).containsExactlyInAnyOrder("c1", "c2");
    }

    private void run(String name) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: team-ns}
                spec: {teamRef: {name: solo}}
                """.formatted(name), ArkRun.class);
    }

    private ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private void awaitPhase(String name, RunPhase phase) {
        try {
            eventually().until(() -> phase(name) == phase);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + name + " never reached " + phase + "; status: " + get(name).getStatus(), e);
        }
    }

    private RunPhase phase(String name) {
        ArkRun run = get(name);
        return run == null || run.getStatus() == null ? null : run.getStatus().phase();
    }

    /** The runs whose tasks are on the role's stream, in the order they were sent. */
    private List<String> taskRuns() {
        return redis.redis().xrange(TASKS, Range.create("-", "+")).stream().map(m -> m.getBody().get("run")).toList();
    }

    private List<String> eventReasons(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    private List<String> eventMessages(String run) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName())).map(Event::getMessage).toList();
    }
}
