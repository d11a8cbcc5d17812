package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.KubeEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline. */
final class RunEvents {
    private final KubeEvents events;

    RunEvents(KubernetesClient client, Clock clock) {
        this.events = new KubeEvents(client, clock);
    }

    void step(ArkRun run, StepState step) {
        switch (step.phase()) {
            case Running -> normal(run, "StepStarted", "step " + step.name() + " started (role " + step.role()
                    + ", attempt " + step.attempts() + ")");
            case Succeeded -> normal(run, "StepSucceeded", "step " + step.name() + " succeeded ("
                    + step.tokens().totalTokens() + " tokens)");
            case Failed -> warning(run, "StepFailed", "step " + step.name() + " failed: " + step.message());
            case Skipped -> normal(run, "StepSkipped", "step " + step.name() + " " + step.message());
            default -> {
            }
        }
    }

    void runEnded(ArkRun run, RunPhase phase, String message) {
        if (phase == RunPhase.Succeeded) {
            normal(run, "RunSucceeded", "run succeeded");
        } else {
            warning(run, "Run" + phase.name(), "run " + phase.name().toLowerCase() + (message == null ? "" : ": " + message));
        }
    }

    void normal(ArkRun run, String reason, String message) {
        events.normal(run, reason, message);
    }

    void warning(ArkRun run, String reason, String message) {
        events.warning(run, reason, message);
    }
}
