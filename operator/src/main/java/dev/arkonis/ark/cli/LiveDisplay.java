package dev.arkonis.ark.cli;

import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.llm.RetryNotice;
import dev.arkonis.ark.local.Attempt;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live table of {@code --watch} on a terminal: one row per step, each cut to the terminal's width so nothing
 * wraps, at most the screen's height (the rest summarised on a last row), redrawn at most ten times a second and
 * only where a row changed. Lines that must stay (a rejected reply) are printed above the table.
 */
final class LiveDisplay implements StepDisplay {
    private static final long FRAME_MILLIS = 100;
    private static final int RECENT = 64;
    private static final int RAW_LINES = 4;
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final Terminal terminal;
    private final Clock clock;
    private final boolean verbose;
    private final Map<String, StepState> steps = new LinkedHashMap<>();
    private final Map<String, Integer> order = new HashMap<>();
    private final Map<String, String> notes = new HashMap<>();
    private final Set<String> running = new LinkedHashSet<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final EnumMap<StepPhase, Integer> counts = new EnumMap<>(StepPhase.class);
    private int widestName;

    private List<String> drawn = List.of();
    private Terminal.Size size;
    private ScheduledExecutorService ticker;
    private volatile boolean resized;
    private boolean dirty;
    private boolean closed;
    private boolean held;

    LiveDisplay(PrintWriter out, Terminal terminal, List<StepState> initial, Clock clock, boolean verbose) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.verbose = verbose;
        for (StepState step : initial) {
            order.put(step.name(), order.size());
            steps.put(step.name(), step);
            counts.merge(step.phase(), 1, Integer::sum);
        }
        this.widestName = PlainDisplay.nameWidth(initial, Integer.MAX_VALUE);
    }

    @Override
    public synchronized void stepChanged(StepState step) {
        if (closed) {
            return;
        }
        StepState before = steps.put(step.name(), step);
        if (before == null) {
            order.put(step.name(), order.size());
            // a delegated step joins the table as the run goes
            widestName = Math.max(widestName, TextWidth.width(StepLines.label(step)));
        } else {
            counts.merge(before.phase(), -1, Integer::sum);
        }
        counts.merge(step.phase(), 1, Integer::sum);
        if (step.phase() == StepPhase.Running) {
            running.add(step.name());
        } else {
            running.remove(step.name());
            notes.remove(step.name());
        }
        if (step.phase() == StepPhase.Failed) {
            failed.add(step.name());
        } else if (step.phase().isFinished()) {
            recent.addFirst(step.name());
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        if (before != null && before.attempts() != step.attempts()) {
            notes.remove(step.name());
        }
        dirty = true;
        start();
    }

    @Override
    public synchronized void attemptFinished(Attempt attempt) {
        if (closed || !attempt.rejectedByChecks()) {
            return;
        }
        start();
        List<String> lines = new ArrayList<>();
        int width = width();
        lines.add(TextWidth.cut(attempt.step() + ": attempt " + attempt.attempt() + " rejected: "
                + TextWidth.flatten(attempt.problem()), width));
        lines.add(TextWidth.cut("  raw reply:", width));
        if (verbose) {
            RawReply.whole(attempt.rawOutput()).lines().forEach(l -> lines.add("    " + l));
        } else {
            lines.addAll(RawReply.trimmed(attempt.rawOutput(), RAW_LINES, width, "    "));
        }
        printAbove(lines);
    }

    @Override
    public synchronized void providerRetry(String step, RetryNotice notice) {
        if (closed) {
            return;
        }
        notes.put(step, notice.brief());
        dirty = true;
    }

    /** Erases the table and draws nothing until released, so a question on the terminal stays readable. */
    @Override
    public synchronized void hold() {
        if (closed || held) {
            return;
        }
        held = true;
        if (!drawn.isEmpty()) {
            out.print(ESC + drawn.size() + "A\r" + ESC + "J");
            out.flush();
        }
        drawn = List.of();
    }

    @Override
    public synchronized void release() {
        if (!held) {
            return;
        }
        held = false;
        dirty = true;
        if (!closed && ticker != null) {
            render();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
            held = false;
            render();
        }
        out.flush();
    }

    /** First change: learn the screen's size and start drawing. */
    private void start() {
        if (ticker != null) {
            return;
        }
        size = terminal.size();
        watchResizes();
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ark-watch-display"));
        ticker.scheduleAtFixedRate(this::tick, FRAME_MILLIS, FRAME_MILLIS, TimeUnit.MILLISECONDS);
        render();
    }

    private synchronized void tick() {
        if (!closed && !held && (dirty || !running.isEmpty() || resized)) {
            render();
        }
    }

    private void watchResizes() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> resized = true);
        } catch (IllegalArgumentException | UnsupportedOperationException noSuchSignal) {
            // no resize notifications here: the size read at start holds
        }
    }

    private void render() {
        dirty = false;
        if (resized) {
            resized = false;
            Terminal.Size now = terminal.size();
            if (!now.equals(size)) {
                // Rows drawn for the old size may have been rewrapped: start a fresh table below them.
                size = now;
                if (!drawn.isEmpty()) {
                    out.print("\r\n");
                }
                drawn = List.of();
            }
        }
        List<String> rows = compose(clock.instant());
        StringBuilder frame = new StringBuilder();
        if (drawn.size() != rows.size()) {
            if (!drawn.isEmpty()) {
                frame.append(ESC).append(drawn.size()).append('A').append('\r').append(ESC).append('J');
            }
            for (String row : rows) {
                frame.append('\r').append(ESC).append("2K").append(row).append('\n');
            }
        } else {
            int height = drawn.size();
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).equals(drawn.get(i))) {
                    int up = height - i;
                    frame.append(ESC).append(up).append('A').append('\r').append(ESC).append("2K").append(rows.get(i))
                            .append('\r').append(ESC).append(up).append('B');
                }
            }
        }
        drawn = rows;
        if (frame.length() > 0) {
            out.print(frame);
            out.flush();
        }
    }

    /** Lines that stay, printed where the table was; the table is drawn again below them. */
    private void printAbove(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (!drawn.isEmpty()) {
            text.append(ESC).append(drawn.size()).append('A').append('\r').append(ESC).append('J');
        }
        lines.forEach(l -> text.append(l).append('\n'));
        out.print(text);
        drawn = List.of();
        if (!held) {
            render();
        }
    }

    private int width() {
        return Math.max(10, (size == null ? Terminal.DEFAULT_SIZE : size).columns() - 1);
    }

    private List<String> compose(Instant now) {
        int width = width();
        int capacity = Math.max(2, size.rows() - 1);
        int nameWidth = Math.min(widestName, Math.max(8, width / 3));
        List<StepState> shown;
        String summary = null;
        if (steps.size() <= capacity) {
            shown = new ArrayList<>(steps.values());
        } else {
            shown = pick(capacity - 1);
            summary = summary(shown);
        }
        List<String> rows = new ArrayList<>(shown.size() + 1);
        for (StepState step : shown) {
            rows.add(TextWidth.cut(StepLines.row(step, nameWidth, notes.get(step.name()), now), width));
        }
        if (summary != null) {
            rows.add(TextWidth.cut(summary, width));
        }
        return rows;
    }

    /** The steps worth a row when not all fit: failed, running, just finished, then the next pending, in order. */
    private List<StepState> pick(int rows) {
        Set<String> chosen = new LinkedHashSet<>();
        addUpTo(chosen, failed, rows);
        addUpTo(chosen, running, rows);
        addUpTo(chosen, recent, rows);
        if (chosen.size() < rows) {
            for (StepState step : steps.values()) {
                if (chosen.size() >= rows) {
                    break;
                }
                if (step.phase() == StepPhase.Pending) {
                    chosen.add(step.name());
                }
            }
        }
        if (chosen.size() < rows) {
            for (String name : steps.keySet()) {
                if (chosen.size() >= rows) {
                    break;
                }
                chosen.add(name);
            }
        }
        return chosen.stream().sorted(Comparator.comparing(order::get)).map(steps::get).toList();
    }

    private static void addUpTo(Set<String> chosen, Iterable<String> names, int rows) {
        for (String name : names) {
            if (chosen.size() >= rows) {
                return;
            }
            chosen.add(name);
        }
    }

    private String summary(List<StepState> shown) {
        EnumMap<StepPhase, Integer> hidden = new EnumMap<>(counts);
        shown.forEach(s -> hidden.merge(s.phase(), -1, Integer::sum));
        int total = steps.size() - shown.size();
        StringJoiner parts = new StringJoiner(", ");
        for (StepPhase phase : List.of(StepPhase.Running, StepPhase.WaitingForApproval, StepPhase.Pending,
                StepPhase.Succeeded, StepPhase.Failed, StepPhase.Skipped, StepPhase.Cancelled)) {
            int n = hidden.getOrDefault(phase, 0);
            if (n > 0) {
                parts.add(String.format(Locale.ROOT, "%,d %s", n, phase == StepPhase.WaitingForApproval
                        ? "waiting for approval" : phase.name().toLowerCase(Locale.ROOT)));
            }
        }
        return String.format(Locale.ROOT, "… %,d more: %s", total, parts);
    }
}
