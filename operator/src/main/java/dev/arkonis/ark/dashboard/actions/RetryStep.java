package dev.arkonis.ark.dashboard.actions;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.RetryRequest;
import dev.arkonis.ark.cli.RunViews;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Retries one failed or skipped step of a failed run, and the steps after it (ark retry --step). */
final class RetryStep implements RunAction {
    @Override
    public String name() {
        return "retry-step";
    }

    @Override
    public String label() {
        return "Retry this step";
    }

    @Override
    public Scope scope() {
        return Scope.STEP;
    }

    @Override
    public boolean offered(ArkRun run, StepStatus step) {
        return RetryRequest.retryable(RunViews.phase(run)) && step != null
                && (step.phase() == StepPhase.Failed || step.phase() == StepPhase.Skipped);
    }

    @Override
    public String perform(KubernetesClient client, ArkRun run, String step, Map<String, String> form) {
        StepStatus target = run.getStatus() == null || run.getStatus().steps() == null ? null : run.getStatus().steps()
                .stream().filter(s -> s.name().equals(step)).findFirst().orElse(null);
        if (target == null) {
            throw new IllegalStateException("run " + run.getMetadata().getName() + " has no step \"" + step + "\"");
        }
        if (!offered(run, target)) {
            throw new IllegalStateException("step " + step + " is " + target.phase() + " in a run that is "
                    + RunViews.phase(run) + "; only a failed or skipped step of a Failed or TimedOut run can be retried");
        }
        RetryRequest.send(client, run.getMetadata().getNamespace(), run.getMetadata().getName(), List.of(step));
        return "Retry of step " + step + " requested: it and the steps after it run again.";
    }
}
