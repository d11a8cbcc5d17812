package dev.arkonis.ark.llm;

import java.time.Instant;

/**
 * One task for a model.
 *
 * @param outputSchema JSON Schema (string) the answer must satisfy, or null
 * @param deadline     when the provider must give up (retries included), or null for none
 */
public record CompletionRequest(
        String model,
        String systemPrompt,
        String prompt,
        String outputSchema,
        int maxTokensPerCall,
        Instant deadline) {
}
