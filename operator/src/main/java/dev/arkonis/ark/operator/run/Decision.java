package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import java.util.List;

/**
 * What driving the engine through one reconcile decided.
 *
 * @param toSend    tasks to put on their roles' streams (sending is idempotent per task id)
 * @param withdraw  steps given up while their task may still be queued: their tasks are withdrawn
 * @param changes   steps whose state changed, in order: each is a transition to announce
 * @param notes     other things to tell (retries asked or refused, tasks sent again), once each
 */
record Decision(List<TaskRequest> toSend, List<StepState> withdraw, List<StepState> changes, List<Note> notes) {
    Decision {
        toSend = List.copyOf(toSend);
        withdraw = List.copyOf(withdraw);
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** Something to tell about the run besides step transitions; {@code key} makes it happen once. */
    record Note(boolean warning, String reason, String key, String message) {
    }
}
