package dev.arkonis.ark.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The one way a task meets its model, for agent pods and ark run alike: the request it sends, the failures it words. */
class ModelTaskExecutorTest {
    private static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void sendsTheRolesModelAndPromptWithTheTasksLimitsAndReturnsTheCompletion() {
        AtomicReference<CompletionRequest> sent = new AtomicReference<>();
        RetryListener retries = notice -> {
        };
        ModelTaskExecutor executor = new ModelTaskExecutor(request -> {
            sent.set(request);
            return new Completion("42", List.of(TokenUsage.of(3, 4), TokenUsage.of(5, 6)));
        }, "gpt-4o-mini", "be brief");

        ModelTaskExecutor.Answer answer = executor.execute("the question", "{\"type\":\"string\"}", 123, DEADLINE,
                retries);

        assertThat(answer.succeeded()).isTrue();
        assertThat(answer.completion().text()).isEqualTo("42");
        assertThat(answer.completion().usage()).isEqualTo(TokenUsage.of(8, 10));
        assertThat(sent.get()).extracting(CompletionRequest::model, CompletionRequest::systemPrompt,
                        CompletionRequest::prompt, CompletionRequest::outputSchema, CompletionRequest::maxTokensPerCall,
                        CompletionRequest::deadline)
                .containsExactly("gpt-4o-mini", "be brief", "the question", "{\"type\":\"string\"}", 123, DEADLINE);
        assertThat(sent.get().retries()).isSameAs(retries);
    }

    @Test
    void aProvidersOwnFailureIsTheTasksErrorWordForWord() {
        ModelTaskExecutor executor = new ModelTaskExecutor(request -> {
            throw new LlmException("model not found: gpt-9", true);
        }, "gpt-9", null);

        ModelTaskExecutor.Answer answer = executor.execute("hi", null, 10, null, RetryListener.LOG);

        assertThat(answer.succeeded()).isFalse();
        assertThat(answer.error()).isEqualTo("model not found: gpt-9");
    }

    @Test
    void anUnexpectedFailureOfTheProviderIsAProviderError() {
        ModelTaskExecutor said = new ModelTaskExecutor(request -> {
            throw new IllegalStateException("socket closed");
        }, "m", null);
        ModelTaskExecutor silent = new ModelTaskExecutor(request -> {
            throw new IllegalStateException();
        }, "m", null);

        assertThat(said.execute("hi", null, 10, null, RetryListener.LOG).error()).isEqualTo("provider error: socket closed");
        assertThat(silent.execute("hi", null, 10, null, RetryListener.LOG).error())
                .isEqualTo("provider error: no details given");
    }
}
