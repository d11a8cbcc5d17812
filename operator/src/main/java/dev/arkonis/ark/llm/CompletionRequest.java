package dev.arkonis.ark.llm;

import java.time.Instant;

/**
 * One task for a model.
 *
 * @param outputSchema JSON Schema (string) the answer must satisfy, or null
 * @param deadline     when the provider must give up (retries included), or null for none
 * @param retries      told of each retry of a failed call
 */
public record CompletionRequest(
        String model,
        String systemPrompt,
        String prompt,
        String outputSchema,
        int maxTokensPerCall,
        Instant deadline,
        RetryListener retries) {

    public CompletionRequest {
        retries = retries == null ? RetryListener.LOG : retries;
    }

    /** The same request, to another model. */
    public CompletionRequest withModel(String other) {
        return new CompletionRequest(other, systemPrompt, prompt, outputSchema, maxTokensPerCall, deadline, retries);
    }

    /** A request whose retries are logged. */
    public CompletionRequest(String model, String systemPrompt, String prompt, String outputSchema, int maxTokensPerCall,
            Instant deadline) {
        this(model, systemPrompt, prompt, outputSchema, maxTokensPerCall, deadline, RetryListener.LOG);
    }
}
