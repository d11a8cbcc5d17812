package dev.arkonis.ark.dashboard.view;

import java.util.List;

/** The phases of steps in the order counts and legends show them: what needs attention first. */
public final class RunPhases {
    public static final List<String> ORDER = List.of("Failed", "Running", "Pending", "Succeeded", "Skipped");

    private RunPhases() {
    }

    /** Lower is shown first when not every step fits. */
    static int urgency(String phase) {
        int i = ORDER.indexOf(phase);
        return i < 0 ? ORDER.size() : i;
    }
}
