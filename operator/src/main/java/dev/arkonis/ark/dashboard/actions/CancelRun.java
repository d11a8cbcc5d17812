package dev.arkonis.ark.dashboard.actions;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.RunPatches;
import dev.arkonis.ark.cli.RunViews;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Cancels a run that has not ended, as {@code ark cancel} does (spec.cancel: the run and its history are kept). */
final class CancelRun implements RunAction {
    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public String label() {
        return "Cancel run";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public boolean offered(ArkRun run, StepStatus step) {
        return RunPatches.steerable(run) && (run.getSpec() == null || !run.getSpec().cancelled());
    }

    @Override
    public String perform(KubernetesClient client, ArkRun run, String step, Map<String, String> form) {
        String name = run.getMetadata().getName();
        if (!offered(run, null)) {
            throw new IllegalStateException("run " + name + " is " + RunViews.phase(run)
                    + (RunPatches.steerable(run) ? " and cancelled already" : "; only a run that has not ended can be cancelled"));
        }
        RunPatches.setSpec(client, run.getMetadata().getNamespace(), name, "cancel", true);
        return "Run " + name + " cancelled: queued tasks are withdrawn, running ones end, the rest is Cancelled.";
    }
}
