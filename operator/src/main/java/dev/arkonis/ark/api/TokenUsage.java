package dev.arkonis.ark.api;

/** Tokens spent: input (prompt), output (completion) and their sum. */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, output, input + output);
    }

    public TokenUsage plus(TokenUsage other) {
        return of(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
