package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.util.List;

/**
 * The model's final text and the tokens of every LLM call made for it (tool-loop turns included).
 *
 * @param answeredBy     the model that gave the answer; null when the provider does not say (one model, no chain)
 * @param fallbackReason why a later model of the role's chain answered instead of the first; null when the first did
 * @param rateLimitWait  how long the calls waited for the model's shared rate limit
 */
public record Completion(String text, List<TokenUsage> calls, String answeredBy, String fallbackReason,
                         Duration rateLimitWait) {
    public Completion {
        calls = List.copyOf(calls);
        rateLimitWait = rateLimitWait == null ? Duration.ZERO : rateLimitWait;
    }

    public Completion(String text, List<TokenUsage> calls) {
        this(text, calls, null, null, Duration.ZERO);
    }

    public TokenUsage usage() {
        return calls.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
    }

    /** The same answer, given by this model (for this reason, when it was not the first choice). */
    public Completion answeredBy(String model, String reason) {
        return new Completion(text, calls, model, reason, rateLimitWait);
    }

    /** The same answer, after waiting this much longer for the shared rate limit. */
    public Completion plusRateLimitWait(Duration waited) {
        return new Completion(text, calls, answeredBy, fallbackReason, rateLimitWait.plus(waited));
    }
}
