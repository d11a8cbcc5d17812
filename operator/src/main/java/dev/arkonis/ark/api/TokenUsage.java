package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.math.BigDecimal;

/**
 * Tokens spent: input (prompt, cached parts included), output (completion) and their sum; the input tokens read from
 * and written to the provider's prompt cache, counted apart; and what they cost.
 *
 * @param costUSD US dollars, from the model's prices; null when no price was known for any of the calls
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenUsage(
        long inputTokens,
        long outputTokens,
        long totalTokens,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonPropertyDescription("Input tokens read from the provider's prompt cache (part of inputTokens).") long cachedInputTokens,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonPropertyDescription("Input tokens written to the provider's prompt cache (part of inputTokens).") long cacheWriteTokens,
        @JsonPropertyDescription("What these tokens cost in US dollars, from the model's prices; absent when no price is known.")
        BigDecimal costUSD) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, null);

    public TokenUsage {
        // one value, one representation: 0.50 and 0.5 are the same cost
        costUSD = costUSD == null ? null : costUSD.signum() == 0 ? BigDecimal.ZERO : costUSD.stripTrailingZeros();
    }

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, output, input + output, 0, 0, null);
    }

    /** Input and output of one call, and the parts of the input that the prompt cache served or took. */
    public static TokenUsage of(long input, long output, long cachedInput, long cacheWrite) {
        return new TokenUsage(input, output, input + output, cachedInput, cacheWrite, null);
    }

    /** The same tokens at this cost (null: unknown). */
    public TokenUsage withCost(BigDecimal usd) {
        return new TokenUsage(inputTokens, outputTokens, totalTokens, cachedInputTokens, cacheWriteTokens, usd);
    }

    /** Both together; a cost known for either side is kept (an unknown cost adds nothing). */
    public TokenUsage plus(TokenUsage other) {
        BigDecimal cost = costUSD == null ? other.costUSD
                : other.costUSD == null ? costUSD : costUSD.add(other.costUSD);
        return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                inputTokens + other.inputTokens + outputTokens + other.outputTokens,
                cachedInputTokens + other.cachedInputTokens, cacheWriteTokens + other.cacheWriteTokens, cost);
    }
}
