package dev.arkonis.ark.llm.tools;

/**
 * Hands a task to another role of the team and waits for its answer: the transport behind the built-in
 * {@code delegate} tool (Redis for an agent pod, the engine's thread for {@code ark run}).
 */
@FunctionalInterface
public interface Delegator {
    /**
     * @param call the call's number within this execution of the task (1, 2, ...)
     * @return the delegated step's answer, or a sentence saying why there is none (the model reads either)
     * @throws ToolException when no answer can come (the task's time ran out, the agent is stopping)
     */
    String delegate(int call, String role, String task) throws ToolException;
}
