package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.TokenUsage;

/** What came back for a task: the model's output or an error, and the tokens spent. */
public record TaskOutcome(String step, int attempt, boolean succeeded, String output, String error, TokenUsage usage) {

    public static TaskOutcome success(String step, int attempt, String output, TokenUsage usage) {
        return new TaskOutcome(step, attempt, true, output, null, usage);
    }

    public static TaskOutcome failure(String step, int attempt, String error, TokenUsage usage) {
        return new TaskOutcome(step, attempt, false, null, error, usage);
    }
}
