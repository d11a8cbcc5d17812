package dev.arkonis.ark.llm;

import java.time.Duration;
import java.util.Locale;

/**
 * A provider call failed in a way that may heal and will be tried again.
 *
 * @param provider    openai, anthropic, ...
 * @param endpoint    the URL that failed (no query, no credentials)
 * @param failure     what went wrong, in words ("503 server error", "connection refused")
 * @param nextAttempt the attempt about to be made
 * @param maxAttempts attempts allowed in all
 * @param delay       how long until the next attempt
 */
public record RetryNotice(String provider, String endpoint, String failure, int nextAttempt, int maxAttempts, Duration delay) {
    /** The notice as one line: what failed, where, and the wait. */
    public String describe() {
        return provider + ": " + failure + " from " + endpoint + "; retrying in " + seconds(delay)
                + " (attempt " + nextAttempt + " of " + maxAttempts + ")";
    }

    /** The short form for a display row: the wait first (it changes what a person does), then the failure. */
    public String brief() {
        return "retry " + nextAttempt + "/" + maxAttempts + " in " + seconds(delay) + ": " + failure;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
