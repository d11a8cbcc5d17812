package dev.arkonis.ark.flow;

/**
 * The answer to a {@code delegate} call, for the caller's tool loop: the delegated step's output, or (succeeded false)
 * why there is none, in words the model can act on. {@code taskId} is the caller's task.
 */
public record DelegationReply(String step, int attempt, String taskId, int call, String child, boolean succeeded,
                              String text) {
}
