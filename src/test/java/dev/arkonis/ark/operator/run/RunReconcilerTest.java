package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.run.DirectRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.SharedRuns;
import dev.arkonis.ark.operator.StatusRecorder;
import dev.arkonis.ark.operator.StatusRecorders;
import dev.arkonis.ark.queue.MemoryTransport;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.telemetry.Telemetry;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run reconciler's decisions, called directly with a built context (no JOSDK loop, no agent, no Redis: the
 * transport is in memory, held to what Redis does by RunTransportContract): what it records, sends, acknowledges and
 * announces for each thing it observes.
 */
class RunReconcilerTest {
    private static final String NS = DirectRuns.NS;

    private DirectRuns runs;
    private MockCluster cluster;
    private MemoryTransport transport;
    private final List<RunStatus> writes = new ArrayList<>();

    @BeforeEach
    void start() {
        runs = new DirectRuns();
        transport = runs.transport;
        cluster = runs.cluster;
    }

    @AfterEach
    void stop() {
        runs.close();
    }

    private final StatusRecorder.Write<ArkRun, RunStatus> writer = (run, status, context) -> {
        writes.add(status);
        run.setStatus(status);
        return cluster.client.resource(run).updateStatus();
    };

    private RunReconciler reconciler(StatusRecorder.Write<ArkRun, RunStatus> statusWriter) {
        return RunReconciler.create(cluster.client, transport, new StatusRecorders(cluster.client, false,
                        Clock.systemUTC()).of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME).writingBy(statusWriter),
                RunSettings.DEFAULT, Runnable::run, Clock.systemUTC(), dev.arkonis.ark.operator.ArkLifecycle.NONE,
                Telemetry.none(), new SharedRuns());
    }

    private static final String LINEAR = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: writers, namespace: direct}
            spec:
              roles: [{name: researcher, model: m}, {name: writer, model: m}]
              pipeline:
                - {role: researcher, inputs: {prompt: "Research"}}
                - {role: writer, dependsOn: [researcher], inputs: {prompt: "Write from {{ .steps.researcher.output }}"}}
            """;

    @Test
    void eachEventIsObservedDecidedRecordedThenDispatchedAndCostsNoRestore() {
        cluster.create(LINEAR, ArkTeam.class);
        runs.createRun("r1", "writers");
        RunReconciler reconciler = reconciler(writer);

        ArkRun started = runs.reconcile(reconciler, "r1", List.of());
        assertThat(started.getStatus().phase()).isEqualTo(RunPhase.Running);
        assertThat(step(started, "researcher").phase()).isEqualTo(StepPhase.Running);
        assertThat(runs.tasks("direct.writers.researcher")).singleElement()
                .satisfies(t -> assertThat(t.fields()).containsEntry("task", "r1/researcher/1"));
        assertThat(runs.events("r1")).as("the run's start and its first step's: one status write, one Event")
                .containsExactly("StepStarted");

        int written = writes.size();
        runs.reconcile(reconciler, "r1", List.of());
        assertThat(writes).as("nothing changed: nothing written").hasSize(written);

        List<ResultDelivery> result = runs.answer(runs.tasks("direct.writers.researcher").get(0), "facts");
        ArkRun after = runs.reconcile(reconciler, "r1", result);
        assertThat(step(after, "researcher").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(step(after, "writer").phase()).isEqualTo(StepPhase.Running);
        assertThat(runs.tasks("direct.writers.writer")).singleElement()
                .satisfies(t -> assertThat(t.fields()).containsEntry("prompt", "Write from facts"));
        assertThat(transport.pending("direct.writers.researcher.results"))
                .as("acknowledged once the status holds it").isZero();
        assertThat(reconciler.restores()).as("the engine stayed in memory between events").isZero();

        // the same result delivered again changes nothing
        assertThat(runs.reconcile(reconciler, "r1", result).getStatus()).isEqualTo(after.getStatus());
    }

    @Test
    void aDelegateCallBecomesAChildStepWhoseAnswerGoesToTheCallerAndARestartedOperatorOwesItAgain() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: desk, namespace: direct}
                spec:
                  entry: coordinator
                  inputs: [{name: ticket, type: string}]
                  roles:
                    - {name: coordinator, model: m, canDelegate: [billing]}
                    - {name: billing, model: m}
                """, ArkTeam.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: x1, namespace: direct}
                spec: {teamRef: {name: desk}, input: {ticket: "two charges"}}
                """, ArkRun.class);
        RunReconciler reconciler = reconciler(writer);
        runs.reconcile(reconciler, "x1", List.<ResultDelivery>of());
        MemoryTransport.Entry entry = runs.tasks("direct.desk.coordinator").get(0);
        assertThat(entry.fields()).containsEntry("task", "x1/coordinator/1").containsEntry("delegates", "billing")
                .containsEntry("prompt", "two charges");

        transport.delegate(entry, 1, "billing", "refund invoice 7");
        ArkRun delegated = runs.reconcile(reconciler, "x1", transport.read(10, Duration.ZERO));
        assertThat(step(delegated, "billing-1")).satisfies(child -> {
            assertThat(child.parent()).isEqualTo("coordinator");
            assertThat(child.phase()).isEqualTo(StepPhase.Running);
            assertThat(child.delegation().task()).isEqualTo("refund invoice 7");
        });
        MemoryTransport.Entry child = runs.tasks("direct.desk.billing").get(0);
        assertThat(child.fields()).containsEntry("task", "x1/billing-1/1").containsEntry("prompt", "refund invoice 7")
                .containsEntry("replyTo", "direct.desk.billing.results");

        runs.reconcile(reconciler, "x1", runs.answer(child, "refunded"));
        String replies = "direct.desk.coordinator.replies.x1/coordinator/1.1";
        assertThat(transport.replies(replies)).containsExactly("refunded");

        // a restarted operator cannot know whether the answer reached the agent: it sends it again
        RunReconciler restarted = reconciler(writer);
        runs.reconcile(restarted, "x1", List.<ResultDelivery>of());
        assertThat(transport.replies(replies)).containsExactly("refunded", "refunded");
        // and the call repeated by an agent that took the caller's task over finds the child it made
        transport.delegate(entry, 1, "billing", "refund invoice 7");
        ArkRun again = runs.reconcile(restarted, "x1", transport.read(10, Duration.ZERO));
        assertThat(again.getStatus().steps()).extracting(StepStatus::name).containsExactly("coordinator", "billing-1");
        assertThat(transport.replies(replies)).hasSize(3);

        ArkRun done = runs.reconcile(restarted, "x1", runs.answer(entry, "all settled"));
        assertThat(done.getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(done.getStatus().output()).isEqualTo("all settled");
    }

    @Test
    void aResultSeenThroughAnOlderCopyOfTheRunIsKeptUntilTheCopyThatWaitsForItArrives() {
        cluster.create(LINEAR, ArkTeam.class);
        runs.createRun("r2", "writers");
        RunReconciler reconciler = reconciler(writer);
        runs.reconcile(reconciler, "r2", List.of());
        ArkRun beforeResearch = runs.get("r2");
        runs.reconcile(reconciler, "r2", runs.answer(runs.tasks("direct.writers.researcher").get(0), "facts"));
        List<ResultDelivery> draft = runs.answer(runs.tasks("direct.writers.writer").get(0), "draft");

        // the cache still hands out the run as it was before the researcher's result: it knows no writer's task yet
        reconciler.reconcile(beforeResearch, new TestContext(cluster.client, beforeResearch, draft));
        assertThat(transport.pending("direct.writers.writer.results"))
                .as("the writer's result is not acknowledged by a view that cannot apply it").isEqualTo(1);

        ArkRun done = runs.reconcile(reconciler, "r2", draft);
        assertThat(done.getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(step(done, "writer").output()).isEqualTo("draft");
        assertThat(transport.pending("direct.writers.writer.results")).isZero();
    }

    @Test
    void aRestartedOperatorSendsTheValidationRetryItWasWaitingOnWithExactlyThePromptItWasSentWith() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: strict, namespace: direct}
                spec:
                  roles: [{name: r, model: m}]
                  pipeline:
                    - role: r
                      inputs: {prompt: "Give JSON"}
                      outputSchema: '{"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}'
                """, ArkTeam.class);
        runs.createRun("v1", "strict");
        RunReconciler before = reconciler(writer);
        runs.reconcile(before, "v1", List.of());
        ArkRun retrying = runs.reconcile(before, "v1", runs.answer(runs.tasks("direct.strict.r").get(0),
                "{\"n\": \"seven\", \"m\": [}"));
        MemoryTransport.Entry retry = runs.tasks("direct.strict.r").get(1);
        assertThat(retry.fields()).containsEntry("task", "v1/r/2");
        assertThat(step(retrying, "r").validationErrors()).isNotEmpty();

        // the operator restarts and Redis lost the queued retry: the restored run sends it again, unchanged
        transport.lose("direct.strict.r");
        RunReconciler after = reconciler(writer);
        runs.reconcile(after, "v1", List.of());
        assertThat(runs.tasks("direct.strict.r")).singleElement().satisfies(t -> {
            assertThat(t.fields()).containsEntry("task", "v1/r/2");
            assertThat(t.fields().get("prompt")).isEqualTo(retry.fields().get("prompt"));
        });
    }

    @Test
    void transitionsOfAnOperatorThatDiedRightAfterWritingTheStatusAreAnnouncedOnceByItsSuccessor() {
        cluster.create(LINEAR, ArkTeam.class);
        runs.createRun("c1", "writers");
        StatusRecorder.Write<ArkRun, RunStatus> crashAfterWriting = (run, status, context) -> {
            writer.write(run, status, context);
            throw new IllegalStateException("the operator died right after writing the status");
        };
        assertThatThrownBy(() -> runs.reconcile(reconciler(crashAfterWriting), "c1", List.of()))
                .hasMessageContaining("died");
        assertThat(runs.get("c1").getStatus().phase()).isEqualTo(RunPhase.Running);
        assertThat(runs.events("c1")).as("it died before announcing").isEmpty();

        // the restarted operator announces what the status shows, once
        RunReconciler successor = reconciler(writer);
        runs.reconcile(successor, "c1", List.of());
        assertThat(runs.events("c1")).containsExactly("StepStarted");
        List<ResultDelivery> result = runs.answer(runs.tasks("direct.writers.researcher").get(0), "facts");
        runs.reconcile(successor, "c1", result);
        runs.reconcile(reconciler(writer), "c1", List.of()); // and another restart announces nothing twice
        assertThat(runs.events("c1"))
                .containsExactlyInAnyOrder("StepStarted", "StepSucceeded");
        assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems()).allSatisfy(
                e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void aFailedReconcileSaysWhatFailedInTheRunsConditionsAndAWarningEvent() {
        cluster.create(LINEAR, ArkTeam.class);
        runs.createRun("e1", "writers");
        RunReconciler reconciler = reconciler(writer);
        runs.reconcile(reconciler, "e1", List.of());
        ArkRun run = runs.get("e1");
        ErrorStatusUpdateControl<ArkRun> control = reconciler.updateErrorStatus(run,
                new TestContext(cluster.client, run, List.of()),
                new RuntimeException("wrapped", new java.net.ConnectException("Redis at redis://r:6379: connection refused")));
        ArkRun patched = control.getResource().orElseThrow();
        assertThat(patched.getStatus().phase()).as("the run's own state is kept").isEqualTo(RunPhase.Running);
        assertThat(patched.getStatus().conditions()).filteredOn(c -> c.getType().equals("Reconciled")).singleElement()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage()).isEqualTo("Redis at redis://r:6379: connection refused");
                });
        assertThat(runs.events("e1")).contains("ReconcileError");
    }

    @Test
    void aRunDecidedFromAnOlderCopyWritesNeitherItsLabelNorItsStatusOverTheNewerOne() {
        cluster.create(LINEAR, ArkTeam.class);
        runs.createRun("r9", "writers");
        RunReconciler reconciler = reconciler(writer);
        ArkRun unstarted = runs.get("r9");
        // another writer (an older replica, a user) finished the run after this copy was read
        ArkRun newer = runs.get("r9");
        newer.setStatus(RunStatus.builder().phase(RunPhase.Cancelled).build());
        cluster.client.resource(newer).updateStatus();

        assertThatThrownBy(() -> reconciler.reconcile(unstarted, new TestContext(cluster.client, unstarted, List.of())))
                .satisfies(e -> assertThat(dev.arkonis.ark.operator.ReconcileErrors.isConflict(e)).as(e.toString()).isTrue());
        assertThat(runs.get("r9").getStatus().phase()).isEqualTo(RunPhase.Cancelled);
        assertThat(runs.tasks("direct.writers.researcher")).isEmpty();
    }
}
