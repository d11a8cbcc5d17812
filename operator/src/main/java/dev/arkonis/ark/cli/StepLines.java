package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How a step and a run read on one line of the terminal: always one line, whatever the step's message holds. */
public final class StepLines {
    /** Characters of an output shown in a plain line (a pipe has no width to fill). */
    static final int PREVIEW = 60;
    private static final String RETRYING = "retrying: ";

    private StepLines() {
    }

    /** A plain line: no width limit, the output previewed, any message flattened to one line. */
    static String step(StepState step, int nameWidth) {
        return line(step, nameWidth, null, null, PREVIEW);
    }

    /**
     * One row of the live display: {@code note} (a provider retry, or null) is shown on a running step; running steps
     * show how long they have been running at {@code now}. The caller cuts the row to the terminal's width.
     */
    static String row(StepState step, int nameWidth, String note, Instant now) {
        return line(step, nameWidth, note, now, Integer.MAX_VALUE);
    }

    private static String line(StepState step, int nameWidth, String note, Instant now, int preview) {
        StringBuilder line = new StringBuilder(TextWidth.pad(TextWidth.cut(label(step), nameWidth), nameWidth))
                .append("  ").append(String.format("%-9s", step.phase()));
        if (step.assignment() != null && step.assignment().agent() != null) {
            line.append("  on ").append(step.assignment().agent());
        }
        if (step.phase() == StepPhase.Running) {
            line.append("  attempt ").append(step.attempts());
            if (now != null && step.startTime() != null) {
                line.append("  ").append(elapsed(Duration.between(step.startTime(), now)));
            }
            String retry = retryReason(step);
            if (note != null) {
                line.append("  ").append(TextWidth.flatten(note));
            } else if (retry != null) {
                line.append("  retry: ").append(retry);
            }
        } else if (step.phase() == StepPhase.WaitingForApproval && step.approval() != null) {
            line.append("  ").append(quote(preview(step.approval().message(), preview)));
        } else if (step.phase().isFinished()) {
            duration(step.startTime(), step.completionTime()).ifPresent(d -> line.append("  ").append(format(d)));
            if (step.tokens().totalTokens() > 0) {
                line.append("  ").append(tokens(step.tokens()));
            }
            if (step.origin() != null) {
                line.append("  ").append(step.origin().kind() == OutputOrigin.Kind.Cached ? "cached" : "reused");
            }
            String detail = step.phase() == StepPhase.Succeeded ? quote(preview(step.output(), preview))
                    : TextWidth.flatten(step.message());
            if (!detail.isEmpty()) {
                line.append("  ").append(detail);
            }
        }
        return line.toString();
    }

    /** A step's name, indented under the step that delegated it. */
    static String label(StepState step) {
        return step.delegation() == null ? step.name() : "  ".repeat(step.delegation().depth()) + step.name();
    }

    /** Why a running step is on a later attempt ("failed validation: ..."), from the engine's message, or null. */
    static String retryReason(StepState step) {
        String message = step.message();
        if (message == null || !message.startsWith(RETRYING)) {
            return null;
        }
        int after = message.indexOf(" after ");
        return TextWidth.flatten(after < 0 ? message.substring(RETRYING.length()) : message.substring(after + 7));
    }

    static Optional<Duration> duration(Instant start, Instant end) {
        return start == null || end == null ? Optional.empty() : Optional.of(Duration.between(start, end));
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
    }

    /** Time on a running step: tenths while it is short, whole seconds after that. */
    static String elapsed(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (ms < 60_000) {
            return (ms / 1000) + "s";
        }
        return String.format(java.util.Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
    }

    static String tokens(TokenUsage usage) {
        return usage.totalTokens() + " tokens";
    }

    static String preview(String text, int max) {
        String flat = TextWidth.flatten(text);
        return flat.length() <= max ? flat : flat.substring(0, flat.offsetByCodePoints(0,
                Math.min(max - 1, flat.codePointCount(0, flat.length())))) + TextWidth.ELLIPSIS;
    }

    static String preview(String text) {
        return preview(text, PREVIEW);
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s + "\"";
    }
}
