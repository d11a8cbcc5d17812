package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.TokenUsage;
import java.util.List;

/** The model's final text and the tokens of every LLM call made for it (tool-loop turns included). */
public record Completion(String text, List<TokenUsage> calls) {
    public Completion {
        calls = List.copyOf(calls);
    }

    public TokenUsage usage() {
        return calls.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
    }
}
