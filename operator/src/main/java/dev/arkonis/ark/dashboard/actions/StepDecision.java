package dev.arkonis.ark.dashboard.actions;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.RunPatches;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Approving or rejecting a step that waits for a person, as {@code ark approve [--reject]} does: recorded as the
 * signed-in person, whose name the API server reports and its admission policy checks.
 */
abstract class StepDecision implements RunAction {
    private final boolean reject;

    StepDecision(boolean reject) {
        this.reject = reject;
    }

    @Override
    public Scope scope() {
        return Scope.STEP;
    }

    @Override
    public boolean takesComment() {
        return true;
    }

    @Override
    public boolean offered(ArkRun run, StepStatus step) {
        return step != null && step.phase() == StepPhase.WaitingForApproval && RunPatches.steerable(run);
    }

    @Override
    public String perform(KubernetesClient client, ArkRun run, String step, Map<String, String> form) {
        if (step == null) {
            throw new IllegalStateException("name the step to " + name());
        }
        RunPatches.notWaiting(run, step).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        String comment = form.getOrDefault("comment", "");
        if (comment.length() > RunPatches.MAX_COMMENT) {
            throw new IllegalStateException("the comment is " + comment.length() + " characters; at most "
                    + RunPatches.MAX_COMMENT);
        }
        String me = RunPatches.decide(client, run, step, reject, comment);
        return "Step " + step + (reject ? " rejected" : " approved") + " as " + me + ".";
    }
}
