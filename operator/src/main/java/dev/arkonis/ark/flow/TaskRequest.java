package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * A task the engine wants done: run {@code prompt} as {@code role}. The task id is deterministic from run, step and
 * attempt, so a redelivered result is recognised.
 */
public record TaskRequest(
        String taskId,
        String runId,
        String step,
        String role,
        int attempt,
        String prompt,
        String outputSchema,
        Instant deadline,
        int maxTokensPerCall) {

    public static String taskId(String runId, String step, int attempt) {
        return runId + "/" + step + "/" + attempt;
    }

    public static final String JUDGE_SUFFIX = "/judge";

    /** The judge call (validate.semantic) on the output of a step's attempt. */
    public static String judgeTaskId(String runId, String step, int attempt) {
        return taskId(runId, step, attempt) + JUDGE_SUFFIX;
    }
}
