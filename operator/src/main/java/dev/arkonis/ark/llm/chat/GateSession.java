package dev.arkonis.ark.llm.chat;

import dev.arkonis.ark.llm.CallGate;
import dev.arkonis.ark.llm.TokenEstimate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One task's calls through a model's shared rate limit: each HTTP attempt takes its place in line (the prompt's
 * length and the answer's cap as the token estimate) and waits its turn; an attempt that failed gives its tokens back;
 * the answer's real usage corrects the estimate; a 429's Retry-After pauses the line for everyone.
 */
final class GateSession {
    private final CallGate gate;
    private final int outputReserve;
    private final Clock clock;
    private Duration waited = Duration.ZERO;
    private long reserved;

    GateSession(CallGate gate, int outputReserve, Clock clock) {
        this.gate = gate;
        this.outputReserve = Math.max(0, outputReserve);
        this.clock = clock;
    }

    /** Waits for this attempt's turn; throws when the turn comes only after the deadline. */
    void beforeAttempt(String body, Instant deadline) {
        // a rough count for the line; the provider's own count corrects it
        long estimate = TokenEstimate.of(body) + outputReserve;
        Duration wait = gate.reserve(estimate, deadline);
        if (wait == null) {
            throw new RateLimitWaitExceeded();
        }
        synchronized (this) {
            reserved = estimate;
            waited = waited.plus(wait);
        }
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the shared rate limit", e);
            }
        }
    }

    /** The attempt got no answer or an error: it used no tokens. */
    void attemptFailed() {
        settle(0);
    }

    /** The provider asked for a pause: everyone sharing the limit waits it out. */
    void rateLimited(Duration retryAfter) {
        gate.pause(retryAfter);
    }

    /** The answer used this many tokens. */
    void settle(long actualTokens) {
        long estimate;
        synchronized (this) {
            estimate = reserved;
            reserved = 0;
        }
        if (estimate > 0) {
            gate.settle(estimate, actualTokens);
        }
    }

    synchronized Duration waited() {
        return waited;
    }

    Clock clock() {
        return clock;
    }

    /** Waiting for the shared rate limit would pass the deadline: the call is not made. */
    static final class RateLimitWaitExceeded extends RuntimeException {
        RateLimitWaitExceeded() {
            super("waiting for the shared rate limit would pass the deadline", null, false, false);
        }
    }
}
