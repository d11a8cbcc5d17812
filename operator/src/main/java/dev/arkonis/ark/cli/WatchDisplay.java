package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.StepState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows steps as they start and end. On a terminal it redraws one line per step in place; in a pipe it prints a
 * plain line for each change, so logs stay readable.
 */
final class WatchDisplay {
    private static final String CLEAR_LINE = "\u001b[2K";

    private final PrintWriter out;
    private final boolean live;
    private final int nameWidth;
    private final Map<String, StepState> steps = new LinkedHashMap<>();
    private int drawnLines;

    WatchDisplay(PrintWriter out, boolean live, List<StepState> initial) {
        this.out = out;
        this.live = live;
        this.nameWidth = Math.max(4, initial.stream().mapToInt(s -> s.name().length()).max().orElse(4));
        initial.forEach(s -> steps.put(s.name(), s));
        if (live) {
            redraw();
        }
    }

    void stepChanged(StepState step) {
        steps.put(step.name(), step);
        if (live) {
            redraw();
        } else {
            out.println(StepLines.step(step, nameWidth));
            out.flush();
        }
    }

    private void redraw() {
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append("\u001b[").append(drawnLines).append('F');
        }
        for (StepState step : steps.values()) {
            frame.append(CLEAR_LINE).append(StepLines.step(step, nameWidth)).append('\n');
        }
        drawnLines = steps.size();
        out.print(frame);
        out.flush();
    }
}
