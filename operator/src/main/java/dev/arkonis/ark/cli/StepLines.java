package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.StepState;
import java.time.Duration;
import java.time.Instant;

/** How a step and a run read on one line of the terminal. */
final class StepLines {
    private static final int PREVIEW = 60;

    private StepLines() {
    }

    static String step(StepState step, int nameWidth) {
        StringBuilder line = new StringBuilder(String.format("%-" + nameWidth + "s  %-9s", step.name(), step.phase()));
        if (step.phase() == StepPhase.Running) {
            line.append("  attempt ").append(step.attempts());
        } else if (step.phase().isFinished()) {
            duration(step.startTime(), step.completionTime()).ifPresent(d -> line.append("  ").append(format(d)));
            if (step.tokens().totalTokens() > 0) {
                line.append("  ").append(tokens(step.tokens()));
            }
            String detail = step.phase() == StepPhase.Succeeded ? quote(preview(step.output())) : step.message();
            if (detail != null && !detail.isEmpty()) {
                line.append("  ").append(detail);
            }
        }
        return line.toString();
    }

    static java.util.Optional<Duration> duration(Instant start, Instant end) {
        return start == null || end == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.between(start, end));
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        return String.format("%dm%02ds", ms / 60_000, (ms / 1000) % 60);
    }

    static String tokens(TokenUsage usage) {
        return usage.totalTokens() + " tokens";
    }

    static String preview(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= PREVIEW ? flat : flat.substring(0, PREVIEW - 1) + "…";
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s + "\"";
    }
}
