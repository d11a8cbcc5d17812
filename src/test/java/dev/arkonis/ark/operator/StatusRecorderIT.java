package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkNotifyStatus;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.cluster.ArkCluster;
import dev.arkonis.ark.cluster.TestNamespace;
import dev.arkonis.ark.operator.run.RunReconciler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the real API server, by server-side apply as the operator ships (and by update): a status is written only over
 * the version it was decided from, so a writer holding an older copy (an upgrade's old replica) never overwrites a
 * newer status; it gets a conflict, which makes its reconcile read the object again, and makes a change read again at
 * once, so many writers of one object lose none of their changes.
 */
@Order(42)
class StatusRecorderIT {
    private static RunStatus phase(RunPhase phase) {
        return RunStatus.builder().phase(phase).build();
    }

    /** @param serverSideApply as shipped; or by update, for API servers that cannot apply */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aStatusDecidedFromAnOlderCopyIsRefusedAndTheNewerOneStays(boolean serverSideApply) {
        ArkCluster cluster = ArkCluster.get();
        StatusRecorder<ArkRun, RunStatus> runs = recorder(cluster, serverSideApply);
        try (TestNamespace ns = TestNamespace.create(cluster, "writes")) {
            runOfNoTeam(ns, "w1");
            // the operator fails the run (no such team) meanwhile: write over whichever copy is the latest
            ArkRun older = null;
            for (int tries = 0; older == null && tries < 10; tries++) {
                ArkRun copy = ns.run("w1");
                try {
                    runs.over(copy, phase(RunPhase.Succeeded));
                    older = copy;
                } catch (RuntimeException e) {
                    assertThat(ReconcileErrors.isConflict(e)).as("only a race with the operator: " + e).isTrue();
                }
            }
            assertThat(older).as("written over a copy that was the latest").isNotNull();
            ArkRun stale = older;

            Throwable refused = catchThrowable(() -> runs.over(stale, phase(RunPhase.Running)));
            assertThat(ReconcileErrors.isConflict(refused)).as("refused as a conflict: " + refused).isTrue();
            assertThat(ns.run("w1").getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        }
    }

    @Test
    void aStatusSentAsWhatChangedEndsExactlyAsDecidedRemovedFieldsIncluded() throws Exception {
        ArkCluster cluster = ArkCluster.get();
        StatusRecorder<ArkRun, RunStatus> runs = recorder(cluster, true);
        try (TestNamespace ns = TestNamespace.create(cluster, "patched")) {
            runOfNoTeam(ns, "p1");
            // the operator fails the run (no such team) and leaves it alone from then on: it is finished
            ArkCluster.eventually().until(() -> ns.run("p1").getStatus() != null
                    && ns.run("p1").getStatus().phase() == RunPhase.Failed);
            com.fasterxml.jackson.databind.JsonNode team = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"roles\": [{\"name\": \"w\", \"model\": \"m\"}], \"pipeline\": [{\"role\": \"w\"}]}");
            RunStatus first = ns.run("p1").getStatus().toBuilder().teamSpec(team).failedStep("w")
                    .message("step w failed: no").build();
            ArkRun written = runs.over(ns.run("p1"), first);
            RunStatus second = first.toBuilder().phase(RunPhase.Succeeded).failedStep(null).message(null).reason(null)
                    .build();
            runs.over(written, second);

            assertThat(ns.run("p1").getStatus()).isEqualTo(second);
            assertThat(ns.run("p1").getStatus().teamSpec()).isEqualTo(team);
        }
    }

    @Test
    void changesOfManyWritersAtOnceAreAllKeptEachReadAgainAfterAConflict() throws Exception {
        ArkCluster cluster = ArkCluster.get();
        cluster.ark();
        try (TestNamespace ns = TestNamespace.create(cluster, "counts")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkNotify
                    metadata: {name: counted}
                    spec:
                      channel: {type: slack, slack: {webhookUrlSecretRef: {name: hook, key: url}}}
                      events: [{type: TeamFailed}]
                    """).assertSuccess();
            ArkNotify notify = cluster.admin.resources(ArkNotify.class).inNamespace(ns.name).withName("counted").get();
            // recorders of their own, as separate processes would be (and the operator writes its conditions meanwhile)
            int writers = 4;
            int each = 5;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    StatusRecorder<ArkNotify, ArkNotifyStatus> recorder = new StatusRecorders(cluster.admin, true,
                            Clock.systemUTC()).of(ArkNotify.class, ArkNotifyStatus.EMPTY, "arknotify");
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            recorder.change(notify, st -> st.toBuilder()
                                    .suppressedCount((st.suppressedCount() == null ? 0 : st.suppressedCount()) + 1).build());
                        }
                    }));
                }
                for (Future<?> one : done) {
                    one.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(cluster.admin.resources(ArkNotify.class).inNamespace(ns.name).withName("counted").get()
                    .getStatus().suppressedCount()).isEqualTo(writers * each);
        }
    }

    /** The run recorder as the operator has it, with ark installed (its operator writes meanwhile). */
    private static StatusRecorder<ArkRun, RunStatus> recorder(ArkCluster cluster, boolean serverSideApply) {
        cluster.ark();
        return new StatusRecorders(cluster.admin, serverSideApply, Clock.systemUTC())
                .of(ArkRun.class, RunStatus.EMPTY, RunReconciler.NAME);
    }

    /** A run of a team that does not exist: the operator fails it, once. */
    private static void runOfNoTeam(TestNamespace ns, String name) {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s}
                spec: {teamRef: {name: absent}}
                """.formatted(name)).assertSuccess();
    }
}
