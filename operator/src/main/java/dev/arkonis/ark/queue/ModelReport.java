package dev.arkonis.ark.queue;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a task's model calls came to beyond their input and output tokens, as an agent reports it with the result.
 *
 * @param cachedInputTokens input tokens the provider's prompt cache served (part of the input tokens)
 * @param cacheWriteTokens  input tokens written to the prompt cache (part of the input tokens)
 * @param costUSD           what the calls cost in US dollars; null when no price was known
 * @param model             the model that gave the answer (the first of the role's chain unless it fell back); null
 *                          when not reported
 * @param modelReason       why another model than the role's first answered; null when the first did
 * @param rateLimitWait     how long the calls waited for the model's shared rate limit; null when not reported
 */
public record ModelReport(long cachedInputTokens, long cacheWriteTokens, BigDecimal costUSD, String model,
                          String modelReason, Duration rateLimitWait) {
    public static final ModelReport NONE = new ModelReport(0, 0, null, null, null, null);
}
