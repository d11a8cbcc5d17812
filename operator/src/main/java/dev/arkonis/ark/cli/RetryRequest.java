package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A retry is an annotation on the ArkRun (a new value each time), so {@code kubectl annotate} can do the same: the
 * operator then resets the failed and skipped steps, or only {@code steps} and what follows them.
 */
public final class RetryRequest {
    private RetryRequest() {
    }

    /** Only a run that ended badly can be retried. */
    public static boolean retryable(RunPhase phase) {
        return phase == RunPhase.Failed || phase == RunPhase.TimedOut;
    }

    /** Sets the annotations with the caller's rights (an update of the run). */
    public static void send(KubernetesClient client, String namespace, String run, List<String> steps) {
        String token = Instant.now().toString();
        client.resources(ArkRun.class).inNamespace(namespace).withName(run).edit(r -> {
            Map<String, String> annotations = r.getMetadata().getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(r.getMetadata().getAnnotations());
            annotations.put(Ark.ANNOTATION_RETRY, token);
            if (steps.isEmpty()) {
                annotations.remove(Ark.ANNOTATION_RETRY_STEPS);
            } else {
                annotations.put(Ark.ANNOTATION_RETRY_STEPS, String.join(",", steps));
            }
            r.getMetadata().setAnnotations(annotations);
            return r;
        });
    }
}
