package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * A task the engine wants done: run {@code prompt} on {@code agent} ({@code role} names the step's role as its status
 * shows it). The task id is deterministic from run, step and attempt, so a redelivered result is recognised.
 * {@code tools} are the built-in tools its model is offered.
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
        int maxTokensPerCall,
        AgentRef agent,
        TaskTools tools) {

    public TaskRequest {
        agent = agent != null ? agent : AgentRef.teamRole(null, role);
        tools = tools != null ? tools : TaskTools.NONE;
    }

    /** A task for a role of the run's own team, with no built-in tools. */
    public TaskRequest(String taskId, String runId, String step, String role, int attempt, String prompt,
                       String outputSchema, Instant deadline, int maxTokensPerCall) {
        this(taskId, runId, step, role, attempt, prompt, outputSchema, deadline, maxTokensPerCall, null, null);
    }

    public static String taskId(String runId, String step, int attempt) {
        return runId + "/" + step + "/" + attempt;
    }

    public static final String JUDGE_SUFFIX = "/judge";

    /** The judge call (validate.semantic) on the output of a step's attempt. */
    public static String judgeTaskId(String runId, String step, int attempt) {
        return taskId(runId, step, attempt) + JUDGE_SUFFIX;
    }
}
