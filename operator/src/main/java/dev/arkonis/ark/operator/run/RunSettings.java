package dev.arkonis.ark.operator.run;

import java.time.Duration;

/**
 * Knobs of run execution.
 *
 * @param outputLimit characters of an output kept in status; the rest stays in Redis
 * @param keep        how long whole outputs and sent-task markers stay in Redis
 */
public record RunSettings(int outputLimit, Duration keep) {
    public static final RunSettings DEFAULT = new RunSettings(32 * 1024, Duration.ofDays(7));
}
