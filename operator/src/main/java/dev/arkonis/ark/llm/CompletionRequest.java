package dev.arkonis.ark.llm;

import dev.arkonis.ark.llm.tools.Tool;
import java.time.Instant;
import java.util.List;

/**
 * One task for a model.
 *
 * @param outputSchema JSON Schema (string) the answer must satisfy, or null
 * @param deadline     when the provider must give up (retries included), or null for none
 * @param retries      told of each retry of a failed call
 * @param taskTools    built-in tools of this task (delegate, route), offered besides the agent's own
 * @param temperature  sampling temperature, or null for the provider's default
 */
public record CompletionRequest(
        String model,
        String systemPrompt,
        String prompt,
        String outputSchema,
        int maxTokensPerCall,
        Instant deadline,
        RetryListener retries,
        List<Tool> taskTools,
        Double temperature) {

    public CompletionRequest {
        retries = retries == null ? RetryListener.LOG : retries;
        taskTools = taskTools == null ? List.of() : List.copyOf(taskTools);
    }

    /** A request with no built-in tools, at the provider's default temperature. */
    public CompletionRequest(String model, String systemPrompt, String prompt, String outputSchema, int maxTokensPerCall,
            Instant deadline, RetryListener retries) {
        this(model, systemPrompt, prompt, outputSchema, maxTokensPerCall, deadline, retries, List.of(), null);
    }

    /** The same request (built-in tools and temperature included), to another model. */
    public CompletionRequest withModel(String other) {
        return new CompletionRequest(other, systemPrompt, prompt, outputSchema, maxTokensPerCall, deadline, retries,
                taskTools, temperature);
    }

    /** A request whose retries are logged. */
    public CompletionRequest(String model, String systemPrompt, String prompt, String outputSchema, int maxTokensPerCall,
            Instant deadline) {
        this(model, systemPrompt, prompt, outputSchema, maxTokensPerCall, deadline, RetryListener.LOG);
    }
}
