package dev.arkonis.ark.llm;

/** Answers one task: the model call plus any tool calls, until the model gives its final text. */
public interface LlmProvider {
    Completion complete(CompletionRequest request) throws LlmException;

    /** Start-up check that the provider knows the model; fails with a message containing "model not found". */
    default void verify() throws LlmException {
    }
}
