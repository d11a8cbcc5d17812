package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.queue.ResultDelivery;
import java.util.List;

/**
 * What driving the engine through one reconcile decided.
 *
 * @param toSend    tasks to put on their roles' streams (sending is idempotent per task id)
 * @param withdraw  steps given up while their task may still be queued: their tasks are withdrawn
 * @param changes   steps whose state changed, in order: each is a transition to announce
 * @param notes     other things to tell (retries asked or refused, tasks sent again), once each
 * @param early     results for attempts this view of the run has not reached (it was read from an older copy of the
 *                  run): kept unacknowledged for the reconcile that sees the copy waiting for them
 */
record Decision(List<TaskRequest> toSend, List<StepState> withdraw, List<StepState> changes, List<Note> notes,
                List<ResultDelivery> early) {
    Decision {
        early = List.copyOf(early);
        toSend = List.copyOf(toSend);
        withdraw = List.copyOf(withdraw);
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** Something to tell about the run besides step transitions; {@code key} makes it happen once. */
    record Note(EventReason reason, String key, String message) {
    }
}
