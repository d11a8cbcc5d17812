package dev.arkonis.ark.operator.run;

import java.util.Arrays;

/**
 * How much of each output a run's status keeps: at most {@code perOutput} bytes each, and at most {@code total} bytes
 * all together. When the outputs would exceed the total, all are cut to one common size, the largest that fits, so
 * short outputs stay whole and the long ones share what is left.
 */
record OutputBudget(int perOutput, int total) {
    OutputBudget {
        if (perOutput < 1 || total < 1) {
            throw new IllegalArgumentException("output budgets must be positive");
        }
    }

    /** The size (bytes) every output is cut to, given their whole sizes. */
    int cap(int[] sizes) {
        int[] clipped = Arrays.stream(sizes).map(s -> Math.min(s, perOutput)).sorted().toArray();
        long sum = Arrays.stream(clipped).asLongStream().sum();
        if (sum <= total) {
            return perOutput;
        }
        long remaining = total;
        for (int i = 0; i < clipped.length; i++) {
            int left = clipped.length - i;
            if ((long) clipped[i] * left > remaining) {
                return (int) (remaining / left);
            }
            remaining -= clipped[i];
        }
        return perOutput;
    }
}
