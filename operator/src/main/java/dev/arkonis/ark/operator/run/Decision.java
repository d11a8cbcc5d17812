package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.DelegationReply;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.queue.ResultDelivery;
import java.util.List;

/** What one reconcile of a run decided; the stages after the decision record it and carry it out. */
sealed interface Decision permits Decision.Refuse, Decision.Settle, Decision.Drive {

    /**
     * Results for attempts this view of the run has not reached (it was read from an older copy of the run): kept
     * unacknowledged for the reconcile that sees the copy waiting for them.
     */
    List<ResultDelivery> early();

    /**
     * The run cannot start: it fails at once.
     *
     * @param team     the team its spec names, which it is labelled with (null: it names none)
     * @param teamSpec the team's spec, when there is one to record
     */
    record Refuse(String team, RunStarter.Refusal reason, String message, JsonNode teamSpec) implements Decision {
        @Override
        public List<ResultDelivery> early() {
            return List.of();
        }
    }

    /** The run is finished and no retry is asked: late or duplicate results are only acknowledged. */
    record Settle(List<ResultDelivery> early) implements Decision {
        public Settle {
            early = List.copyOf(early);
        }
    }

    /**
     * The run's engine was driven: it just started, or took what this reconcile saw.
     *
     * @param live     the run's engine and what the operator knows it did for it
     * @param started  the run started in this reconcile
     * @param toSend   tasks to put on their roles' streams (sending is idempotent per task id)
     * @param withdraw steps given up while their task may still be queued: their tasks are withdrawn
     * @param changes  steps whose state changed, in order: each is a transition to announce
     * @param notes    other things to tell (retries asked or refused, tasks sent again, suspend, resume, cancel), once
     *                 each
     * @param cacheUses   the step cache lookups made (hits answered their steps with no model call)
     * @param cacheWrites answers accepted, to keep in the step cache
     * @param replies  answers to delegate calls, for the callers' agents (sending one again is harmless)
     */
    record Drive(LiveRun live, boolean started, List<TaskRequest> toSend, List<StepState> withdraw,
                 List<StepState> changes, List<Note> notes, List<ResultDelivery> early, List<CachedSteps.Use> cacheUses,
                 List<CacheWrite> cacheWrites, List<DelegationReply> replies) implements Decision {
        public Drive {
            toSend = List.copyOf(toSend);
            withdraw = List.copyOf(withdraw);
            changes = List.copyOf(changes);
            notes = List.copyOf(notes);
            early = List.copyOf(early);
            cacheUses = List.copyOf(cacheUses);
            cacheWrites = List.copyOf(cacheWrites);
            replies = List.copyOf(replies);
        }
    }

    /** Something to tell about the run besides step transitions; {@code key} makes it happen once. */
    record Note(EventReason reason, String key, String message) {
    }
}
