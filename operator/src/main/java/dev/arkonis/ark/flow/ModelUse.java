package dev.arkonis.ark.flow;

import java.time.Duration;

/**
 * Which model of a role's chain answered a task, why the ones before it did not, and how long its calls waited for
 * their model's shared rate limit.
 *
 * @param model         the model that answered; null when the agent did not say
 * @param reason        why a later model than the role's first answered; null when the first did
 * @param rateLimitWait time spent waiting for the shared rate limit; null when the agent did not say
 */
public record ModelUse(String model, String reason, Duration rateLimitWait) {
    public static final ModelUse UNKNOWN = new ModelUse(null, null, null);
    /** A wait shorter than this is pacing, not worth a word in the step's message. */
    private static final Duration WORTH_TELLING = Duration.ofSeconds(1);

    /** As a step's status records it (the rate-limit wait in milliseconds, null when not said). */
    public static ModelUse recorded(String model, String reason, Long rateLimitWaitMs) {
        return new ModelUse(model, reason, rateLimitWaitMs == null ? null : Duration.ofMillis(rateLimitWaitMs));
    }

    /** The step's record after this task's: the later task's model and reason, the waits summed. */
    public ModelUse then(ModelUse later) {
        if (later == null) {
            return this;
        }
        Duration waited = rateLimitWait == null ? later.rateLimitWait
                : later.rateLimitWait == null ? rateLimitWait : rateLimitWait.plus(later.rateLimitWait);
        return later.model == null ? new ModelUse(model, reason, waited) : new ModelUse(later.model, later.reason, waited);
    }

    /** What a step's message says of its calls: the model that answered instead and why, a long wait; else null. */
    public String note() {
        StringBuilder note = new StringBuilder();
        if (reason != null && model != null) {
            note.append("answered by ").append(model).append(" (").append(reason).append(')');
        }
        if (rateLimitWait != null && rateLimitWait.compareTo(WORTH_TELLING) >= 0) {
            note.append(note.isEmpty() ? "" : "; ").append("waited ")
                    .append(String.format(java.util.Locale.ROOT, "%.1fs", rateLimitWait.toMillis() / 1000.0))
                    .append(" for the shared rate limit");
        }
        return note.isEmpty() ? null : note.toString();
    }
}
