package dev.arkonis.ark.flow;

/**
 * A model's call of the built-in {@code delegate} tool while working on a step's task: hand {@code task} to the team's
 * role {@code target}. {@code call} numbers the calls of one execution of the task (1, 2, ...), so a call repeated by
 * an agent that took the task over after a crash finds the child step it made before.
 */
public record DelegationRequest(String step, int attempt, int call, String target, String task) {
}
