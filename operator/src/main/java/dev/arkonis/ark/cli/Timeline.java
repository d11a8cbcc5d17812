package dev.arkonis.ark.cli;

import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.api.Usd;
import dev.arkonis.ark.flow.ModelUse;
import dev.arkonis.ark.flow.StepState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's time went, as a text Gantt (one row per step: start offset, a bar over the run's length with queue
 * wait {@code ░}, shared rate-limit wait {@code ▒} and work {@code █}, took, tokens, cost, retries, queue wait) and as the same timings for {@code -o json} (with the model that answered and the
 * wait for its shared rate limit).
 *
 * @param start when the run started (the offsets' origin), or null before it did
 * @param end   when it ended, or now for a run still going
 */
public record Timeline(Instant start, Instant end, List<Row> rows) {
    private static final char WORK = '█';
    private static final char WAIT = '░';
    private static final char RATE_LIMITED = '▒';
    private static final int MIN_BAR = 10;

    /**
     * One step: its offset from the run's start and duration (null until it started / ended), its queue wait, what its
     * calls cost (null when no price was known) and which model answered.
     */
    public record Row(String step, String phase, Duration offset, Duration took, long tokens, int retries, Duration queueWait,
                      BigDecimal costUSD, ModelUse model) {
    }

    public static Timeline of(List<StepState> steps, Instant start, Instant end) {
        List<Row> rows = new ArrayList<>();
        for (StepState step : steps) {
            Duration offset = start == null || step.startTime() == null ? null : Duration.between(start, step.startTime());
            Instant stepEnd = step.completionTime() != null ? step.completionTime()
                    : step.startTime() != null && !step.phase().isFinished() ? end : null;
            Duration took = step.startTime() == null || stepEnd == null ? null : Duration.between(step.startTime(), stepEnd);
            rows.add(new Row(step.name(), step.phase().name(), offset, took, step.tokens().totalTokens(),
                    Math.max(0, step.attempts() - 1), step.queueWait(), step.tokens().costUSD(), step.modelUse()));
        }
        return new Timeline(start, end, rows);
    }

    public Duration length() {
        Duration total = start == null || end == null ? Duration.ZERO : Duration.between(start, end);
        for (Row row : rows) {
            if (row.offset() != null && row.took() != null && row.offset().plus(row.took()).compareTo(total) > 0) {
                total = row.offset().plus(row.took());
            }
        }
        return total;
    }

    /**
     * The Gantt in {@code columns} columns: a header, then a row per step. Narrow terminals get the bar and the time
     * taken only; the other columns are in {@code -o json}.
     */
    List<String> lines(int columns) {
        int name = Math.min(24, Math.max(4, rows.stream().mapToInt(r -> TextWidth.width(r.step())).max().orElse(4)));
        // name, start, |bar|, took, tokens, cost, retries, wait, a space between each; one column spare
        boolean full = columns - 1 - name - 59 >= MIN_BAR;
        int bar = Math.max(MIN_BAR, full ? columns - 1 - name - 59 : columns - 1 - name - 11);
        Duration total = length();
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(TextWidth.pad("STEP", name)).append(' ');
        if (full) {
            header.append(left("START", 7)).append(' ');
        }
        header.append(TextWidth.pad(scale(total, bar), bar + 2)).append(' ').append(left("TOOK", 7));
        if (full) {
            header.append(' ').append(left("TOKENS", 7)).append(' ').append(left("COST", 9)).append(' ')
                    .append(left("RETRIES", 7)).append(' ').append(left("WAIT", 6));
        }
        lines.add(header.toString());
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(TextWidth.pad(TextWidth.cut(row.step(), name), name)).append(' ');
            if (full) {
                line.append(left(row.offset() == null ? "-" : StepLines.format(row.offset()), 7)).append(' ');
            }
            line.append('|').append(bar(row, total, bar)).append('|').append(' ')
                    .append(left(row.took() == null ? "-" : StepLines.format(row.took()), 7));
            if (full) {
                line.append(' ').append(left(String.valueOf(row.tokens()), 7)).append(' ')
                        .append(left(row.costUSD() == null ? "-" : Usd.format(row.costUSD()), 9)).append(' ')
                        .append(left(String.valueOf(row.retries()), 7)).append(' ')
                        .append(left(row.queueWait() == null ? "-" : StepLines.format(row.queueWait()), 6));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The timings for {@code -o json}: the run's length and each step's, in milliseconds. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("startTime", start == null ? null : start.toString());
        doc.put("durationMs", length().toMillis());
        doc.put("steps", rows.stream().map(row -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", row.step());
            step.put("phase", row.phase());
            step.put("startOffsetMs", row.offset() == null ? null : row.offset().toMillis());
            step.put("durationMs", row.took() == null ? null : row.took().toMillis());
            step.put("queueWaitMs", row.queueWait() == null ? null : row.queueWait().toMillis());
            step.put("tokens", row.tokens());
            step.put("costUSD", row.costUSD());
            step.put("model", row.model().model());
            step.put("rateLimitWaitMs", row.model().rateLimitWait() == null ? null : row.model().rateLimitWait().toMillis());
            step.put("retries", row.retries());
            return step;
        }).toList());
        return doc;
    }

    /** The bar's header: 0 at the left, the run's length at the right. */
    private static String scale(Duration total, int bar) {
        String right = StepLines.format(total);
        return "0" + " ".repeat(Math.max(1, bar + 2 - 1 - right.length())) + right;
    }

    private static String bar(Row row, Duration total, int width) {
        char[] cells = new char[width];
        java.util.Arrays.fill(cells, ' ');
        if (row.offset() == null || row.took() == null) {
            return new String(cells);
        }
        double perCell = Math.max(1, total.toNanos()) / (double) width;
        int from = Math.min(width - 1, (int) Math.round(row.offset().toNanos() / perCell));
        int to = Math.max(from + 1, Math.min(width, (int) Math.round((row.offset().plus(row.took())).toNanos() / perCell)));
        int waitCells = cellsOf(row.queueWait(), perCell, to - from - 1);
        // the shared rate limit is waited for once an agent holds the task, before the model answers
        int limitCells = cellsOf(row.model() == null ? null : row.model().rateLimitWait(), perCell, to - from - 1 - waitCells);
        for (int i = from; i < to; i++) {
            cells[i] = i < from + waitCells ? WAIT : i < from + waitCells + limitCells ? RATE_LIMITED : WORK;
        }
        return new String(cells);
    }

    private static int cellsOf(Duration time, double perCell, int atMost) {
        return time == null ? 0 : Math.max(0, Math.min(atMost, (int) Math.round(time.toNanos() / perCell)));
    }

    private static String left(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
