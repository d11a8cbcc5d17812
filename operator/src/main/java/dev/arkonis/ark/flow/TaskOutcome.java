package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;

/**
 * What came back for a task: the model's output or an error, and the tokens spent. {@code taskId} names the task it
 * answers; a result without one answers the step's own task (not its judge call). {@code queueWait} is how long the
 * task waited for a worker, or null where the transport did not say. {@code origin} is set when no model was called:
 * the answer came from the step cache (zero tokens, accepted as it was when first accepted).
 */
public record TaskOutcome(String step, int attempt, boolean succeeded, String output, String error, TokenUsage usage,
                          String taskId, Duration queueWait, OutputOrigin origin) {

    public static TaskOutcome success(String step, int attempt, String output, TokenUsage usage) {
        return new TaskOutcome(step, attempt, true, output, null, usage, null, null, null);
    }

    public static TaskOutcome failure(String step, int attempt, String error, TokenUsage usage) {
        return new TaskOutcome(step, attempt, false, null, error, usage, null, null, null);
    }

    /** An answer from the step cache: no tokens spent now. */
    public static TaskOutcome cached(String step, int attempt, String output, OutputOrigin origin) {
        return new TaskOutcome(step, attempt, true, output, null, TokenUsage.ZERO, null, null, origin);
    }

    /** The same outcome, naming the task it answers (transports copy the task id of the request or result). */
    public TaskOutcome forTask(String id) {
        return new TaskOutcome(step, attempt, succeeded, output, error, usage, id, queueWait, origin);
    }

    /** The same outcome, saying how long its task waited for a worker (null: unknown). */
    public TaskOutcome withQueueWait(Duration waited) {
        return new TaskOutcome(step, attempt, succeeded, output, error, usage, taskId, waited, origin);
    }
}
