package dev.arkonis.ark.operator.run;

import java.time.Duration;

/**
 * Knobs of run execution.
 *
 * @param outputLimit        bytes (UTF-8) of one step's output kept in status; the rest stays in Redis
 * @param statusOutputBudget bytes of all outputs of a run kept in status together, so the ArkRun stays far below the
 *                           API server's object size limit (~1.5 MiB) however many steps write large outputs
 * @param keep               how long whole outputs and sent-task markers stay in Redis
 * @param resultClaimIdle    how long a result another operator read but never acknowledged waits before this one
 *                           takes it over (that operator died between reading and acknowledging)
 */
public record RunSettings(int outputLimit, int statusOutputBudget, Duration keep, Duration resultClaimIdle) {
    public static final int DEFAULT_OUTPUT_LIMIT = 32 * 1024;
    public static final int DEFAULT_STATUS_OUTPUT_BUDGET = 512 * 1024;
    public static final RunSettings DEFAULT = new RunSettings(DEFAULT_OUTPUT_LIMIT, DEFAULT_STATUS_OUTPUT_BUDGET,
            Duration.ofDays(7), Duration.ofSeconds(15));

    public RunSettings {
        if (outputLimit < 1 || statusOutputBudget < 1) {
            throw new IllegalArgumentException("output limits must be positive");
        }
    }

    /** Default budget and claim time, with this per-step limit and keep time. */
    public RunSettings(int outputLimit, Duration keep) {
        this(outputLimit, DEFAULT_STATUS_OUTPUT_BUDGET, keep, DEFAULT.resultClaimIdle());
    }

    public RunSettings withStatusOutputBudget(int bytes) {
        return new RunSettings(outputLimit, bytes, keep, resultClaimIdle);
    }

    public RunSettings withResultClaimIdle(Duration value) {
        return new RunSettings(outputLimit, statusOutputBudget, keep, value);
    }
}
