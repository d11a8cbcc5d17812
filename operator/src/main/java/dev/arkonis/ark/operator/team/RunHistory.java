package dev.arkonis.ark.operator.team;

import dev.arkonis.ark.api.Timestamps;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.concurrent.DaemonThreads;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Keeps a team's finished runs within {@code successfulRunsHistoryLimit} (Succeeded) and
 * {@code failedRunsHistoryLimit} (Failed, TimedOut, Cancelled), deleting the oldest by completion time.
 * Unfinished runs are never touched; runs already being deleted count for neither limit.
 */
public final class RunHistory {
    // newest first: by completion (creation when a finished run lacks one), then name for a stable order
    private static final Comparator<Dated> NEWEST_FIRST = Comparator.comparing(Dated::at)
            .thenComparing(f -> f.run().getMetadata().getName()).reversed();

    /** A run with the time it is ordered by, read once: a sort compares each run many times. */
    private record Dated(ArkRun run, Instant at) {
    }

    /** Deletions at once per team: one after the other, a team finishing 40 runs a second outgrew its limit. */
    private static final int PARALLEL_DELETES = 8;

    private final KubernetesClient client;
    private final ExecutorService deleter;

    public RunHistory(KubernetesClient client) {
        this(client, Executors.newFixedThreadPool(PARALLEL_DELETES, DaemonThreads.named("ark-history")));
    }

    /** @param deleter deletes runs beyond the limits, several at once; the prune waits for them all */
    public RunHistory(KubernetesClient client, ExecutorService deleter) {
        this.client = client;
        this.deleter = deleter;
    }

    void prune(ArkTeamSpec spec, Collection<ArkRun> runs) {
        int keepSucceeded = spec.successfulRunsHistoryLimit() == null
                ? ArkTeamSpec.DEFAULT_SUCCESSFUL_RUNS_HISTORY_LIMIT : spec.successfulRunsHistoryLimit();
        int keepFailed = spec.failedRunsHistoryLimit() == null
                ? ArkTeamSpec.DEFAULT_FAILED_RUNS_HISTORY_LIMIT : spec.failedRunsHistoryLimit();
        deleteBeyond(runs, keepSucceeded, phase -> phase == RunPhase.Succeeded);
        deleteBeyond(runs, keepFailed, phase -> phase.isFinished() && phase != RunPhase.Succeeded);
    }

    /** The most recently created run, whatever its phase. */
    static Optional<String> newest(Collection<ArkRun> runs) {
        return runs.stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .map(r -> new Dated(r, Timestamps.parse(r.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH)))
                .max(Comparator.comparing(Dated::at).thenComparing(f -> f.run().getMetadata().getName()))
                .map(f -> f.run().getMetadata().getName());
    }

    private void deleteBeyond(Collection<ArkRun> runs, int keep, Predicate<RunPhase> phases) {
        List<ArkRun> matching = runs.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                .filter(r -> r.getStatus() != null && r.getStatus().phase() != null && phases.test(r.getStatus().phase()))
                .map(r -> new Dated(r, finishedAt(r)))
                .sorted(NEWEST_FIRST)
                .map(Dated::run)
                .toList();
        List<CompletableFuture<?>> deletions = matching.subList(Math.min(keep, matching.size()), matching.size())
                .stream().map(run -> CompletableFuture.runAsync(() -> client.resources(ArkRun.class)
                        .inNamespace(run.getMetadata().getNamespace()).withName(run.getMetadata().getName()).delete(),
                        deleter)).<CompletableFuture<?>>map(f -> f).toList();
        try {
            CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // the reconcile fails as a single delete did, and its retry prunes again
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static Instant finishedAt(ArkRun run) {
        String completion = run.getStatus().completionTime();
        // a time that cannot be read counts as the oldest
        return Timestamps.parse(completion != null ? completion : run.getMetadata().getCreationTimestamp())
                .orElse(Instant.EPOCH);
    }
}
