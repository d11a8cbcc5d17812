package dev.arkonis.ark.llm.chat;

import java.time.Duration;

/**
 * Knobs of a {@link ChatProvider}.
 *
 * @param maxToolTurns   model calls allowed for one task before it fails (a model stuck calling tools)
 * @param attemptTimeout longest wait for one HTTP response
 * @param verifyTimeout  how long the start-up model check may take, retries included
 * @param retry          retry of transient HTTP failures
 * @param temperature    sampling temperature of every call (ArkSettings), or null for the model's default
 */
public record ChatSettings(int maxToolTurns, Duration attemptTimeout, Duration verifyTimeout, RetryPolicy retry,
                           Double temperature) {
    public static final ChatSettings DEFAULT =
            new ChatSettings(10, Duration.ofSeconds(120), Duration.ofSeconds(30), RetryPolicy.DEFAULT, null);

    public ChatSettings withRetry(RetryPolicy policy) {
        return new ChatSettings(maxToolTurns, attemptTimeout, verifyTimeout, policy, temperature);
    }

    public ChatSettings withMaxToolTurns(int turns) {
        return new ChatSettings(turns, attemptTimeout, verifyTimeout, retry, temperature);
    }

    public ChatSettings withTemperature(Double value) {
        return new ChatSettings(maxToolTurns, attemptTimeout, verifyTimeout, retry, value);
    }
}
