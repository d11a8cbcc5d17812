package dev.arkonis.ark.operator.run;

import java.util.Arrays;

/**
 * How much of each output a run's status keeps: at most {@code perOutput} bytes each, and the whole status at most
 * {@code total} bytes, outputs and the rest together. When the outputs would exceed the total, all are cut to one common size, the largest that fits, so
 * short outputs stay whole and the long ones share what is left.
 */
record OutputBudget(int perOutput, int total) {
    OutputBudget {
        if (perOutput < 1 || total < 1) {
            throw new IllegalArgumentException("output budgets must be positive");
        }
    }

    /** The size (bytes) every output is cut to, given their whole sizes, when they may have all of the total. */
    int cap(int[] sizes) {
        return cap(sizes, total);
    }

    /** Whether the outputs, each cut to its limit, take half the total or more: then the rest of the status counts. */
    boolean outputsNearTotal(int[] sizes) {
        return Arrays.stream(sizes).asLongStream().map(s -> Math.min(s, perOutput)).sum() * 2 >= total;
    }

    /** What the outputs may take beside the status's other {@code restBytes}; a quarter of the total at the least. */
    int roomBeside(int restBytes) {
        return Math.max(total / 4, total - restBytes);
    }

    /** The size (bytes) every output is cut to, given their whole sizes, so that together they fit in {@code room}. */
    int cap(int[] sizes, int room) {
        int[] clipped = Arrays.stream(sizes).map(s -> Math.min(s, perOutput)).sorted().toArray();
        long sum = Arrays.stream(clipped).asLongStream().sum();
        if (sum <= room) {
            return perOutput;
        }
        long remaining = room;
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
