package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.operator.ArkLifecycle;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.queue.MemoryTransport;
import dev.arkonis.ark.telemetry.Telemetry;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's timeline as its Events tell it: one Event per status write, a writer that falls behind folding what waits,
 * and an operator that restores a run from its status telling nothing twice that was written alone, and losing
 * nothing its predecessor never wrote. The writer is the caller's thread (never behind) or a queue whose turns the
 * test runs when it likes (behind).
 */
class RunEventsTest {
    private static final String STARTED = "run of team writers started with 2 step(s); step researcher started (role"
            + " researcher, attempt 1)";
    private static final String RESEARCHED = "step researcher succeeded (7 tokens); step writer started (role writer,"
            + " attempt 1)";
    private static final String WRITTEN = "step writer succeeded (7 tokens); run succeeded";

    private DirectRuns runs;
    private MockCluster cluster;
    private MemoryTransport transport;
    /** The turns of a writer that has not caught up yet. */
    private final Queue<Runnable> behind = new ArrayDeque<>();

    @BeforeEach
    void start() {
        runs = new DirectRuns();
        transport = runs.transport;
        cluster = runs.cluster;
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: writers, namespace: direct}
                spec:
                  roles: [{name: researcher, model: m}, {name: writer, model: m}]
                  pipeline:
                    - {role: researcher, inputs: {prompt: "Research"}}
                    - {role: writer, dependsOn: [researcher], inputs: {prompt: "Write from {{ .steps.researcher.output }}"}}
                """, ArkTeam.class);
    }

    @AfterEach
    void stop() {
        runs.close();
    }

    private RunReconciler reconciler(Executor eventWriter) {
        return RunReconciler.create(cluster.client, transport, new StatusRecorders(cluster.client, false,
                        Clock.systemUTC()).of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME)
                        .writingBy((run, status, context) -> {
                            run.setStatus(status);
                            return cluster.client.resource(run).updateStatus();
                        }),
                RunSettings.DEFAULT, eventWriter, Clock.systemUTC(), ArkLifecycle.NONE, Telemetry.none(), new dev.arkonis.ark.operator.SharedRuns());
    }

    private void startRun(RunReconciler reconciler, String run) {
        runs.createRun(run, "writers");
        runs.reconcile(reconciler, run, List.of());
    }

    private void research(RunReconciler reconciler, String run) {
        runs.reconcile(reconciler, run, runs.answer(task("researcher", run), "facts"));
    }

    private void write(RunReconciler reconciler, String run) {
        runs.reconcile(reconciler, run, runs.answer(task("writer", run), "post"));
    }

    private MemoryTransport.Entry task(String role, String run) {
        return runs.tasks("direct.writers." + role).stream().filter(t -> t.fields().get("task").startsWith(run + "/"))
                .reduce((first, last) -> last).orElseThrow();
    }

    private void catchUp() {
        while (!behind.isEmpty()) {
            behind.remove().run();
        }
    }

    private List<String> names(String run) {
        return runs.told(run).stream().map(e -> e.getMetadata().getName()).toList();
    }

    @Test
    void eachStatusWriteIsOneEventHeadedByWhatSaysMostAndTheyReadInOrder() {
        RunReconciler reconciler = reconciler(Runnable::run);
        startRun(reconciler, "r1");
        research(reconciler, "r1");
        write(reconciler, "r1");

        List<Event> told = runs.told("r1");
        assertThat(told).extracting(Event::getReason, Event::getType, Event::getMessage, Event::getCount).containsExactly(
                tuple("StepStarted", "Normal", STARTED, 1),
                tuple("StepSucceeded", "Normal", RESEARCHED, 1),
                tuple("RunSucceeded", "Normal", WRITTEN, 1));
        RunStatus status = runs.get("r1").getStatus();
        assertThat(told).extracting(e -> e.getEventTime().getTime()).as("each at its first transition's moment")
                .containsExactly(micros(status.startTime(), 0), micros(DirectRuns.step(runs.get("r1"), "researcher")
                        .completionTime(), 1), micros(DirectRuns.step(runs.get("r1"), "writer").completionTime(), 1));
        assertThat(told.stream().sorted(Comparator.comparing(e -> e.getMetadata().getName())))
                .as("kubectl describe lists Events of one second by name: the same order").containsExactlyElementsOf(told);
    }

    @Test
    void aWriterThatFallsBehindFoldsTheRunsWaitingWritesIntoOneEvent() {
        RunReconciler reconciler = reconciler(behind::add);
        startRun(reconciler, "r2");
        research(reconciler, "r2");
        write(reconciler, "r2");
        assertThat(runs.told("r2")).isEmpty();

        catchUp();
        assertThat(runs.told("r2")).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("RunSucceeded");
            assertThat(e.getMessage()).isEqualTo(STARTED + "; " + RESEARCHED + "; " + WRITTEN);
            assertThat(e.getEventTime().getTime()).isEqualTo(micros(runs.get("r2").getStatus().startTime(), 0));
        });
    }

    @Test
    void aRestartedOperatorTellsNothingAgainThatWasWrittenAlone() {
        RunReconciler first = reconciler(Runnable::run);
        startRun(first, "r3");
        research(first, "r3");
        List<String> before = names("r3");
        assertThat(before).hasSize(2);

        RunReconciler successor = reconciler(Runnable::run);
        runs.reconcile(successor, "r3", List.of());
        assertThat(names("r3")).as("restored from its status, it told the same Events, which existed").isEqualTo(before);
        write(successor, "r3");
        assertThat(runs.told("r3")).extracting(Event::getMessage, Event::getCount)
                .containsExactly(tuple(STARTED, 1), tuple(RESEARCHED, 1), tuple(WRITTEN, 1));
    }

    @Test
    void whatADeadOperatorNeverWroteIsToldByItsSuccessorAsItWouldHaveBeen() {
        RunReconciler first = reconciler(behind::add);
        startRun(first, "r4");
        research(first, "r4");
        behind.clear(); // it died before its writer's turn

        RunReconciler successor = reconciler(Runnable::run);
        runs.reconcile(successor, "r4", List.of());
        write(successor, "r4");
        assertThat(runs.told("r4")).extracting(Event::getReason, Event::getMessage).containsExactly(
                tuple("StepStarted", STARTED), tuple("StepSucceeded", RESEARCHED), tuple("RunSucceeded", WRITTEN));
    }

    @Test
    void onlyWhatWasFoldedUnderBackPressureIsToldTwiceAfterARestartAndNothingIsLost() {
        RunReconciler first = reconciler(behind::add);
        startRun(first, "r5");
        research(first, "r5");
        catchUp();
        assertThat(runs.story("r5")).isEqualTo(STARTED + "; " + RESEARCHED);

        RunReconciler successor = reconciler(Runnable::run);
        runs.reconcile(successor, "r5", List.of());
        write(successor, "r5");
        assertThat(runs.told("r5")).as("the folded Event, then each of its groups again, and the rest")
                .extracting(Event::getMessage).containsExactlyInAnyOrder(STARTED + "; " + RESEARCHED, STARTED, RESEARCHED,
                        WRITTEN);
    }

    @Test
    void anOperatorThatRestoresARunItDroveTellsNothingItTookAlreadyEvenFolded() {
        RunReconciler reconciler = reconciler(behind::add);
        startRun(reconciler, "r6");
        research(reconciler, "r6");
        catchUp();
        // someone else changes the run: its engine is restored from the status in the same process
        cluster.edit(ArkRun.class, DirectRuns.NS, "r6", r -> {
            r.getMetadata().getLabels().put("reviewed", "yes");
            return r;
        });
        runs.reconcile(reconciler, "r6", List.of());
        catchUp();
        assertThat(runs.told("r6")).extracting(Event::getMessage).containsExactly(STARTED + "; " + RESEARCHED);
    }

    /** An Event's eventTime for a moment the status recorded, {@code rank} microseconds on. */
    private static String micros(String recorded, int rank) {
        java.time.Instant at = java.time.Instant.parse(recorded).truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                .plus(rank, java.time.temporal.ChronoUnit.MICROS);
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
                .withZone(java.time.ZoneOffset.UTC).format(at);
    }
}
