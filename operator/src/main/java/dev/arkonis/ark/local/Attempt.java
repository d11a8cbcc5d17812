package dev.arkonis.ark.local;

import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;

/**
 * One attempt of a step as the model answered it: the raw reply before any check, and what was wrong with it.
 *
 * @param rawOutput the model's reply as it came, or null when the call itself failed
 * @param problem   why the attempt did not count (the call's error, or the checks the reply failed), or null
 * @param queueWait how long its tasks waited for a free slot of their role before the call
 */
public record Attempt(String step, int attempt, String rawOutput, String problem, TokenUsage tokens, Duration duration,
                      Duration queueWait) {
    public Attempt(String step, int attempt, String rawOutput, String problem, TokenUsage tokens, Duration duration) {
        this(step, attempt, rawOutput, problem, tokens, duration, Duration.ZERO);
    }

    public boolean accepted() {
        return problem == null;
    }

    /** The call answered but the answer failed the step's output checks. */
    public boolean rejectedByChecks() {
        return problem != null && rawOutput != null;
    }
}
