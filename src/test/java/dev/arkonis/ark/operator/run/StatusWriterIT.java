package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.cluster.ArkCluster;
import dev.arkonis.ark.cluster.TestNamespace;
import dev.arkonis.ark.operator.ReconcileErrors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * On the real API server, by server-side apply as the operator ships: a run's status is written only over the
 * version it was decided from, so a writer holding an older copy (an upgrade's old replica) never overwrites a newer
 * status; it gets a conflict, which makes its reconcile read the run again.
 */
@Order(42)
class StatusWriterIT {
    private static RunStatus phase(RunPhase phase) {
        return new RunStatus(phase, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    @Test
    void aStatusDecidedFromAnOlderCopyIsRefusedAndTheNewerOneStays() {
        ArkCluster cluster = ArkCluster.get();
        cluster.ark();
        try (TestNamespace ns = TestNamespace.create(cluster, "writes")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: w1}
                    spec: {teamRef: {name: absent}}
                    """).assertSuccess();
            // the operator fails the run (no such team) meanwhile: write over whichever copy is the latest
            ArkRun older = null;
            for (int tries = 0; older == null && tries < 10; tries++) {
                ArkRun copy = ns.run("w1");
                try {
                    StatusWriter.over(cluster.admin, copy, phase(RunPhase.Succeeded), true, "arkrun");
                    older = copy;
                } catch (RuntimeException e) {
                    assertThat(ReconcileErrors.isConflict(e)).as("only a race with the operator: " + e).isTrue();
                }
            }
            assertThat(older).as("written over a copy that was the latest").isNotNull();
            ArkRun stale = older;

            Throwable refused = catchThrowable(() -> StatusWriter.over(cluster.admin, stale, phase(RunPhase.Running),
                    true, "arkrun"));
            assertThat(ReconcileErrors.isConflict(refused)).as("refused as a conflict: " + refused).isTrue();
            assertThat(ns.run("w1").getStatus().phase()).isEqualTo(RunPhase.Succeeded);
        }
    }
}
