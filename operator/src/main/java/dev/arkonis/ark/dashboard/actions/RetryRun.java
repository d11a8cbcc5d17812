package dev.arkonis.ark.dashboard.actions;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.RetryRequest;
import dev.arkonis.ark.cli.RunViews;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Retries a failed or timed-out run's failed and skipped steps, as {@code ark retry} does (an annotation). */
final class RetryRun implements RunAction {
    @Override
    public String name() {
        return "retry";
    }

    @Override
    public String label() {
        return "Retry failed steps";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public boolean offered(ArkRun run, StepStatus step) {
        return RetryRequest.retryable(RunViews.phase(run));
    }

    @Override
    public String perform(KubernetesClient client, ArkRun run, String step, Map<String, String> form) {
        if (!offered(run, null)) {
            throw new IllegalStateException("run " + run.getMetadata().getName() + " is " + RunViews.phase(run)
                    + "; only a Failed or TimedOut run can be retried");
        }
        RetryRequest.send(client, run.getMetadata().getNamespace(), run.getMetadata().getName(), List.of());
        return "Retry of run " + run.getMetadata().getName() + " requested: its failed and skipped steps run again.";
    }
}
