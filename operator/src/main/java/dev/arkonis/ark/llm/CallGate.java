package dev.arkonis.ark.llm;

import java.time.Duration;
import java.time.Instant;

/**
 * A model's shared rate limit, asked before every HTTP call to it: a place in line for a call of about so many
 * tokens, corrected once the provider said how many it used, and pushed back for everyone when the provider answers
 * 429 with a {@code Retry-After}.
 */
public interface CallGate {
    /** The gate of a model without a shared limit: every call goes at once. */
    CallGate OPEN = new CallGate() {
        @Override
        public Duration reserve(long estimatedTokens, Instant deadline) {
            return Duration.ZERO;
        }

        @Override
        public void settle(long estimatedTokens, long actualTokens) {
        }

        @Override
        public void pause(Duration retryAfter) {
        }
    };

    /**
     * Takes a place in line for one call of about {@code estimatedTokens} tokens.
     *
     * @return how long to wait before the call may go (zero: at once), or null when that would pass the deadline
     *         (then no place was taken)
     */
    Duration reserve(long estimatedTokens, Instant deadline);

    /** The call used {@code actualTokens}, not the estimate: the line moves by the difference. */
    void settle(long estimatedTokens, long actualTokens);

    /** The provider said no call should come before {@code retryAfter} has passed: nobody's does. */
    void pause(Duration retryAfter);
}
