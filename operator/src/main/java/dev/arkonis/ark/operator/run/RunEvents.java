package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.flow.StepState;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an ArkRun, so {@code kubectl describe arkrun} reads as the run's timeline. */
final class RunEvents {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;

    RunEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
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
        emit(run, "Normal", reason, message);
    }

    void warning(ArkRun run, String reason, String message) {
        emit(run, "Warning", reason, message);
    }

    private void emit(ArkRun run, String type, String reason, String message) {
        String now = clock.instant().toString();
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
        try {
            client.v1().events().inNamespace(run.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(run.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .withNamespace(run.getMetadata().getNamespace())
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(run.getApiVersion())
                            .withKind(run.getKind()).withName(run.getMetadata().getName())
                            .withNamespace(run.getMetadata().getNamespace()).withUid(run.getMetadata().getUid())
                            .withResourceVersion(run.getMetadata().getResourceVersion()).build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(text)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent("ark-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: losing one must not fail the run
            LOG.warn("could not record event {} on ArkRun {}/{}: {}", reason, run.getMetadata().getNamespace(),
                    run.getMetadata().getName(), e.getMessage());
        }
    }
}
