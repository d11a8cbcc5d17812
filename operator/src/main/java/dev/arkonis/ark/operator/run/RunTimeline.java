package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.KubeEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The runs' timeline Events on their way to the API server, one writer for all runs: each turn of a run's takes
 * everything told of it since its last, so a writer that keeps up writes each group as it comes, and one that falls
 * behind (the API server at its ceiling) folds a run's waiting groups into as few Events as their messages fit whole.
 * Groups told from a restored status are never folded: each is written under the name it was first written under, so
 * the API server refuses what was already told. Within this process a group is written once, however often it is
 * told (a run restored after a failed reconcile or a change someone else made tells its status again).
 */
final class RunTimeline {
    private record Told(EventGroup group, boolean foldable) {
    }

    private static final class Backlog {
        private ArkRun run;
        private final List<Told> groups = new ArrayList<>();
    }

    private final KubeEvents kube;
    private final Executor writer;
    /** By run uid: what waits for the run's turn. Guarded by this. */
    private final Map<String, Backlog> backlogs = new HashMap<>();
    /** By run uid: the groups this process took of a run still going. Guarded by this. */
    private final Map<String, Set<String>> taken = new HashMap<>();

    /** @param writer writes the Events, one turn after the other (a single thread, or the caller's in tests) */
    RunTimeline(KubeEvents kube, Executor writer) {
        this.kube = kube;
        this.writer = writer;
    }

    /**
     * @param restored whether they are told from a restored status, which may repeat what an earlier process wrote:
     *                 then each group is its own Event, never folded with others
     */
    void tell(ArkRun run, List<RunTransition> transitions, boolean restored) {
        if (transitions.isEmpty()) {
            return;
        }
        List<EventGroup> groups = EventGroup.byMoment(transitions);
        String uid = run.getMetadata().getUid();
        boolean turnAsked;
        synchronized (this) {
            Set<String> seen = taken.computeIfAbsent(uid, u -> new HashSet<>());
            List<EventGroup> fresh = groups.stream().filter(g -> seen.add(g.identity())).toList();
            if (groups.stream().anyMatch(EventGroup::endsRun)) {
                // nothing of it is told again but after a retry, whose transitions have keys of their own
                taken.remove(uid);
            }
            if (fresh.isEmpty()) {
                return;
            }
            Backlog backlog = backlogs.get(uid);
            turnAsked = backlog == null;
            if (turnAsked) {
                backlog = new Backlog();
                backlogs.put(uid, backlog);
            }
            backlog.run = run;
            for (EventGroup group : fresh) {
                backlog.groups.add(new Told(group, !restored));
            }
        }
        if (turnAsked) {
            try {
                writer.execute(() -> turn(uid));
            } catch (RuntimeException e) {
                synchronized (this) {
                    backlogs.remove(uid);
                }
                throw e;
            }
        }
    }

    /** The run was deleted: nothing of it is remembered. */
    synchronized void forget(ArkRun run) {
        taken.remove(run.getMetadata().getUid());
    }

    private void turn(String uid) {
        Backlog backlog;
        synchronized (this) {
            backlog = backlogs.remove(uid);
        }
        if (backlog == null) {
            return;
        }
        for (EventGroup event : folded(backlog.groups)) {
            kube.once(backlog.run, event.type(), event.reason(), event.key(), event.message(), event.at());
        }
    }

    /** Consecutive foldable groups as one Event while its message holds them whole; the others one each. */
    private static List<EventGroup> folded(List<Told> groups) {
        List<EventGroup> events = new ArrayList<>();
        EventGroup folding = null;
        for (Told told : groups) {
            if (folding != null && told.foldable() && folding.fits(told.group())) {
                folding = folding.with(told.group());
                continue;
            }
            if (folding != null) {
                events.add(folding);
                folding = null;
            }
            if (told.foldable()) {
                folding = told.group();
            } else {
                events.add(told.group());
            }
        }
        if (folding != null) {
            events.add(folding);
        }
        return events;
    }
}
