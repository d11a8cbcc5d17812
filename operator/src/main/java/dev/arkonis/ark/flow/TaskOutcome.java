package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.TokenUsage;

/**
 * What came back for a task: the model's output or an error, and the tokens spent. {@code taskId} names the task it
 * answers; a result without one answers the step's own task (not its judge call).
 */
public record TaskOutcome(String step, int attempt, boolean succeeded, String output, String error, TokenUsage usage,
                          String taskId) {

    public static TaskOutcome success(String step, int attempt, String output, TokenUsage usage) {
        return new TaskOutcome(step, attempt, true, output, null, usage, null);
    }

    public static TaskOutcome failure(String step, int attempt, String error, TokenUsage usage) {
        return new TaskOutcome(step, attempt, false, null, error, usage, null);
    }

    /** The same outcome, naming the task it answers (transports copy the task id of the request or result). */
    public TaskOutcome forTask(String id) {
        return new TaskOutcome(step, attempt, succeeded, output, error, usage, id);
    }
}
