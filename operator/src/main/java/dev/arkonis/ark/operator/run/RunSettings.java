package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.config.Setting;
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
 * @param maxInFlight        runs started and not finished at once; more wait, not started, until one finishes
 */
public record RunSettings(int outputLimit, int statusOutputBudget, Duration keep, Duration resultClaimIdle,
                          int maxInFlight) {
    public static final int DEFAULT_OUTPUT_LIMIT = 32 * 1024;
    public static final int DEFAULT_STATUS_OUTPUT_BUDGET = 512 * 1024;
    /** What the chart's default memory limit (512Mi) holds with room to spare (BENCHMARKS.md, issue 23). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    public static final RunSettings DEFAULT = new RunSettings(DEFAULT_OUTPUT_LIMIT, DEFAULT_STATUS_OUTPUT_BUDGET,
            Duration.ofDays(7), Duration.ofSeconds(15), DEFAULT_MAX_IN_FLIGHT);

    public static final Setting<Integer> MAX_RUNS_IN_FLIGHT = Setting.integer("MAX_RUNS_IN_FLIGHT",
            DEFAULT_MAX_IN_FLIGHT, 1).chart("maxRunsInFlight")
            .means("runs this operator replica drives at once (started, not finished); more wait in phase `Pending`"
                    + " with the reason `InFlightLimit`, their place in line in the message, and start in the order"
                    + " they were created as runs finish. Bounds the operator's memory: see the chart's"
                    + " `values-small.yaml`");

    public RunSettings {
        if (outputLimit < 1 || statusOutputBudget < 1) {
            throw new IllegalArgumentException("output limits must be positive");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("the in-flight limit must be positive");
        }
    }

    /** The default in-flight limit. */
    public RunSettings(int outputLimit, int statusOutputBudget, Duration keep, Duration resultClaimIdle) {
        this(outputLimit, statusOutputBudget, keep, resultClaimIdle, DEFAULT_MAX_IN_FLIGHT);
    }

    /** Default budget and claim time, with this per-step limit and keep time. */
    public RunSettings(int outputLimit, Duration keep) {
        this(outputLimit, DEFAULT_STATUS_OUTPUT_BUDGET, keep, DEFAULT.resultClaimIdle());
    }

    public RunSettings withStatusOutputBudget(int bytes) {
        return new RunSettings(outputLimit, bytes, keep, resultClaimIdle, maxInFlight);
    }

    public RunSettings withResultClaimIdle(Duration value) {
        return new RunSettings(outputLimit, statusOutputBudget, keep, value, maxInFlight);
    }

    public RunSettings withMaxInFlight(int runs) {
        return new RunSettings(outputLimit, statusOutputBudget, keep, resultClaimIdle, runs);
    }
}
