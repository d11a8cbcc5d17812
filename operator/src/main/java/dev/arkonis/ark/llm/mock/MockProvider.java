package dev.arkonis.ark.llm.mock;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.*;
import java.time.Duration;
import java.util.List;

/** TEMPORARY STUB. */
public final class MockProvider implements LlmProvider {
    public static final MockProvider INSTANCE = new MockProvider(Duration.ZERO);
    public MockProvider(Duration latency) { }
    public Completion complete(CompletionRequest r) throws LlmException {
        if (r.prompt().contains("[mock:fail]")) throw new LlmException("mock: failure requested by the prompt", true);
        String text = r.outputSchema() != null ? "{}" : "mock answer to: " + r.prompt().substring(0, Math.min(60, r.prompt().length()));
        return new Completion(text, List.of(TokenUsage.of(r.prompt().length() / 4 + 1, text.length() / 4 + 1)));
    }
}
