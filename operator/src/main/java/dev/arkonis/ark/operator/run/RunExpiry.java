package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.Timestamps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A finished run lives {@code ttlSecondsAfterFinished} past its completion: its own, else that of the team it ran as
 * (the snapshot taken at its start), else for ever (within the team's history limits). Then it is deleted; the whole
 * outputs kept for it go with it (see {@link RunReconciler}'s delete event).
 */
final class RunExpiry {
    static final String FIELD = "ttlSecondsAfterFinished";

    private final KubernetesClient client;

    RunExpiry(KubernetesClient client) {
        this.client = client;
    }

    /** When the run is to be deleted: only a finished run with a time to live has such a moment. */
    static Optional<Instant> expiresAt(ArkRun run) {
        RunStatus status = run.getStatus();
        if (status == null || status.phase() == null || !status.phase().isFinished()) {
            return Optional.empty();
        }
        Integer ttl = run.getSpec() == null ? null : run.getSpec().ttlSecondsAfterFinished();
        JsonNode team = status.teamSpec();
        if (ttl == null && team != null && team.path(FIELD).canConvertToInt() && team.path(FIELD).asInt() >= 0) {
            ttl = team.path(FIELD).asInt();
        }
        if (ttl == null) {
            return Optional.empty();
        }
        long seconds = ttl;
        return Timestamps.parse(status.completionTime()).map(completed -> completed.plusSeconds(seconds));
    }

    /** The run deleted if its time is up, else looked at again when it is (or sooner, as {@code next} says). */
    UpdateControl<ArkRun> apply(ArkRun run, UpdateControl<ArkRun> next, Instant now) {
        Optional<Instant> at = expiresAt(run);
        if (at.isEmpty()) {
            return next;
        }
        long left = Duration.between(now, at.get()).toMillis();
        if (left <= 0) {
            client.resources(ArkRun.class).inNamespace(run.getMetadata().getNamespace())
                    .withName(run.getMetadata().getName()).delete();
            return UpdateControl.noUpdate();
        }
        return next.getScheduleDelay().filter(delay -> delay <= left).isPresent() ? next : next.rescheduleAfter(left);
    }
}
