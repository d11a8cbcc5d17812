package dev.arkonis.ark.llm;

import dev.arkonis.ark.llm.tools.Tool;
import java.time.Instant;
import java.util.List;

/**
 * Runs one task against a role's model, for an agent pod and for {@code ark run} alike: it builds the request, calls
 * the provider and turns a failed call into the task's error, so a step fails with the same words wherever it ran.
 */
public final class ModelTaskExecutor {
    private final LlmProvider provider;
    private final String model;
    private final String systemPrompt;

    public ModelTaskExecutor(LlmProvider provider, String model, String systemPrompt) {
        this.provider = provider;
        this.model = model;
        this.systemPrompt = systemPrompt;
    }

    /** What a task came to: the model's completion, or (completion null) why it failed. */
    public record Answer(Completion completion, String error) {
        static Answer completed(Completion completion) {
            return new Answer(completion, null);
        }

        static Answer failed(String error) {
            return new Answer(null, error);
        }

        public boolean succeeded() {
            return completion != null;
        }
    }

    /**
     * @param outputSchema JSON Schema the answer must satisfy, or null
     * @param deadline     when the provider must give up (retries included), or null for none
     * @param retries      told of each retry of a failed call
     */
    public Answer execute(String prompt, String outputSchema, int maxTokensPerCall, Instant deadline,
                          RetryListener retries) {
        return execute(prompt, outputSchema, maxTokensPerCall, deadline, retries, List.of());
    }

    /** @param taskTools the task's built-in tools (delegate, route), offered besides the agent's own */
    public Answer execute(String prompt, String outputSchema, int maxTokensPerCall, Instant deadline,
                          RetryListener retries, List<Tool> taskTools) {
        try {
            return Answer.completed(provider.complete(new CompletionRequest(model, systemPrompt, prompt, outputSchema,
                    maxTokensPerCall, deadline, retries, taskTools, null)));
        } catch (LlmException e) {
            // permanent, or retried by the provider already: either way the task fails now
            return Answer.failed(e.getMessage());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null || e.getMessage().isBlank() ? "no details given" : e.getMessage();
            return Answer.failed("provider error: " + why);
        }
    }
}
