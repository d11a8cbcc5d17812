package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-only providers: the queue and runtime are under test, not the models. */
final class TestProviders {
    private TestProviders() {
    }

    /** Answers "echo: <prompt>" in two calls of 10+5 and 3+2 tokens. */
    static LlmProvider echo() {
        return request -> new Completion("echo: " + request.prompt(),
                List.of(TokenUsage.of(10, 5), TokenUsage.of(3, 2)));
    }

    /** Spends {@code tokens} input tokens per task (one call, no output tokens). */
    static LlmProvider spending(long tokens) {
        return request -> new Completion("spent", List.of(TokenUsage.of(tokens, 0)));
    }

    static LlmProvider failing(String message, boolean permanent) {
        return request -> {
            throw new LlmException(message, permanent);
        };
    }

    /** Holds every call until released; counts calls and the most at once. */
    static final class Gate implements LlmProvider {
        private final long tokens;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final AtomicInteger interrupted = new AtomicInteger();
        final List<CompletionRequest> requests = new CopyOnWriteArrayList<>();

        /** Each call spends 1 + 1 tokens. */
        Gate() {
            this(2);
        }

        /** Each call spends {@code tokens} (input only). */
        Gate(long tokens) {
            this.tokens = tokens;
        }

        @Override
        public Completion complete(CompletionRequest request) throws LlmException {
            requests.add(request);
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                released.await();
                return new Completion("done: " + request.prompt(),
                        List.of(tokens == 2 ? TokenUsage.of(1, 1) : TokenUsage.of(tokens, 0)));
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
                throw new LlmException("interrupted", false);
            } finally {
                running.decrementAndGet();
            }
        }

        void release() {
            released.countDown();
        }

        int running() {
            return running.get();
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }

        int calls() {
            return requests.size();
        }

        int interrupted() {
            return interrupted.get();
        }
    }
}
