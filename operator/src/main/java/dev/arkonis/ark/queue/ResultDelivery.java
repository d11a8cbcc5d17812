package dev.arkonis.ark.queue;

import java.util.Map;

/**
 * An entry of a result stream read through the dispatcher's group: a task's result, or (on the same stream, from the
 * same agent) a delegate call made while the task runs; where it came from, so it can be acknowledged.
 *
 * @param result     the task's result, or null for a delegate call
 * @param delegation the delegate call, or null for a result
 */
public record ResultDelivery(String stream, String id, TaskResult result, DelegationCall delegation) {
    public ResultDelivery {
        if ((result == null) == (delegation == null)) {
            throw new IllegalArgumentException("an entry is a result or a delegate call");
        }
    }

    public ResultDelivery(String stream, String id, TaskResult result) {
        this(stream, id, result, null);
    }

    /** The entry as its fields say: a delegate call when marked so, else a result. */
    public static ResultDelivery of(String stream, String id, Map<String, String> fields) {
        return DelegationCall.isDelegation(fields)
                ? new ResultDelivery(stream, id, null, DelegationCall.fromFields(fields))
                : new ResultDelivery(stream, id, TaskResult.fromFields(fields));
    }

    public boolean isDelegation() {
        return delegation != null;
    }

    /** The task the entry is about: the one that finished, or the one whose model made the call. */
    public String task() {
        return isDelegation() ? delegation.task() : result.task();
    }

    /** The task's fields copied into the entry (run, namespace, step, attempt, team). */
    public Map<String, String> copied() {
        return isDelegation() ? delegation.copied() : result.copied();
    }
}
