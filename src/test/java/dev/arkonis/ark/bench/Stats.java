package dev.arkonis.ark.bench;

import java.util.Arrays;

/** Percentiles of measured durations, for printing. */
record Stats(double[] millis) {
    static Stats of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Stats(sorted);
    }

    double percentile(double p) {
        int index = (int) Math.ceil(p / 100.0 * millis.length) - 1;
        return millis[Math.max(0, Math.min(index, millis.length - 1))];
    }

    double min() {
        return millis[0];
    }

    @Override
    public String toString() {
        return String.format("min %.1f ms, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms (n=%d)", min(), percentile(50), percentile(90),
                percentile(99), millis.length);
    }
}
