package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operator's in-flight limit: at most so many runs of its cache are started and not finished at once, so its
 * memory stays bounded however many runs arrive. A run beyond it waits, not started, and runs are let in in the order
 * they were created (creation time, then namespace and name); a run that finishes or is deleted wakes the next ones.
 * A cancelled run is let in at once: it ends without running a step. Counts only the runs its cache finds (with
 * sharding, those of the shards this replica leads), so the limit is per replica.
 */
final class RunAdmission {
    /**
     * How soon a waiting run is looked at again although no run woke it: its place in line is written afresh, and
     * a wake-up that was missed is made up for.
     */
    static final Duration RECHECK = Duration.ofSeconds(60);

    private static final Comparator<ArkRun> CREATION_ORDER = Comparator
            .comparing((ArkRun r) -> String.valueOf(r.getMetadata().getCreationTimestamp()))
            .thenComparing(r -> String.valueOf(r.getMetadata().getNamespace()))
            .thenComparing(r -> r.getMetadata().getName());

    /**
     * Whether a run may start now, and if not where it stands.
     *
     * @param inFlight runs started and not finished
     * @param place    1 for the run that goes next
     */
    record Verdict(boolean admitted, int inFlight, int limit, int place) {
        String message() {
            return "waiting: " + inFlight + (inFlight == 1 ? " run" : " runs") + " in flight, limit " + limit + "; "
                    + ordinal(place) + " in line";
        }
    }

    private final int limit;
    private final Consumer<ResourceID> wake;
    /** Runs let in whose start this cache may not show yet (guarded by this). */
    private final Set<String> admitted = new HashSet<>();
    private volatile IndexedResourceCache<ArkRun> runs;
    /** Whether a run was refused since the line was last found empty: a run's end scans the cache only then. */
    private boolean someWait;

    /** @param wake makes a run be reconciled (its turn may have come) */
    RunAdmission(int limit, Consumer<ResourceID> wake) {
        if (limit < 1) {
            throw new IllegalArgumentException("the in-flight limit must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.wake = wake;
    }

    /** The runs counted: the run controller's cache, given before it starts. */
    void bind(IndexedResourceCache<ArkRun> primaryCache) {
        this.runs = primaryCache;
    }

    /** Whether this run, not started, may start now: once let in, it stays in until it finishes or is deleted. */
    synchronized Verdict admit(ArkRun run) {
        String uid = run.getMetadata().getUid();
        if (admitted.contains(uid) || run.getSpec() != null && run.getSpec().cancelled()) {
            admitted.add(uid);
            return new Verdict(true, 0, limit, 0);
        }
        Census census = census();
        long ahead = census.waiting.stream().filter(other -> CREATION_ORDER.compare(other, run) < 0).count();
        if (census.inFlight + ahead < limit) {
            admitted.add(uid);
            return new Verdict(true, census.inFlight, limit, 0);
        }
        someWait = true;
        return new Verdict(false, census.inFlight, limit, (int) ahead + 1);
    }

    /** A run finished or was deleted: as many waiting runs as there are free places now are woken, first come first. */
    void released() {
        List<ResourceID> next;
        synchronized (this) {
            if (!someWait) {
                return;
            }
            Census census = census();
            someWait = !census.waiting.isEmpty();
            int free = limit - census.inFlight;
            next = free <= 0 ? List.of() : census.waiting.stream().sorted(CREATION_ORDER).limit(free)
                    .map(ResourceID::fromResource).toList();
        }
        next.forEach(wake);
    }

    private record Census(int inFlight, List<ArkRun> waiting) {
    }

    /** Runs in flight (started, or let in here and not yet seen started) and runs waiting, as the cache has them. */
    private Census census() {
        IndexedResourceCache<ArkRun> cache = runs;
        if (cache == null) {
            return new Census(admitted.size(), List.of());
        }
        int inFlight = 0;
        List<ArkRun> waiting = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (ArkRun listed : (Iterable<ArkRun>) cache.list()::iterator) {
            // the copy a reconcile just wrote, where the informer has not caught up with it yet; none for a run of a
            // shard another replica leads, which this one does not count
            java.util.Optional<ArkRun> found = cache.get(ResourceID.fromResource(listed));
            if (found.isEmpty()) {
                continue;
            }
            ArkRun run = found.get();
            String uid = run.getMetadata().getUid();
            present.add(uid);
            RunStatus status = run.getStatus();
            if (run.isMarkedForDeletion() || status != null && status.phase() != null && status.phase().isFinished()) {
                admitted.remove(uid);
            } else if (RunStatus.started(status)) {
                admitted.remove(uid);
                inFlight++;
            } else if (admitted.contains(uid)) {
                inFlight++;
            } else if (run.getSpec() != null && (status == null || !status.isUnreadable())) {
                waiting.add(run);
            }
        }
        admitted.retainAll(present);
        return new Census(inFlight, waiting);
    }

    static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
