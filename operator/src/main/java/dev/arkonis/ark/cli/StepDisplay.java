package dev.arkonis.ark.cli;

import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.llm.RetryNotice;
import dev.arkonis.ark.local.Attempt;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/**
 * What {@code --watch} shows while a run goes: on a terminal a live table redrawn in place; elsewhere (a pipe, a
 * file, {@code TERM=dumb}) one plain line per change, so logs stay readable. Safe to call from several threads.
 */
interface StepDisplay extends AutoCloseable {
    void stepChanged(StepState step);

    /** An attempt finished; one whose reply failed the step's checks shows that reply. */
    default void attemptFinished(Attempt attempt) {
    }

    /** A provider call of {@code step} failed and is tried again after a wait. */
    default void providerRetry(String step, RetryNotice notice) {
    }

    /** Steps out of the way of a question asked on the terminal: nothing is drawn until {@link #release}. */
    default void hold() {
    }

    /** Draws again after {@link #hold}. */
    default void release() {
    }

    /** Draws the last state; nothing more is shown after this. */
    @Override
    void close();

    /**
     * @param live    redraw in place (the stream is a terminal that understands cursor movement)
     * @param verbose show raw replies whole instead of trimmed
     */
    static StepDisplay open(PrintWriter out, boolean live, Terminal terminal, List<StepState> steps, boolean verbose) {
        return live ? new LiveDisplay(out, terminal, steps, Clock.systemUTC(), verbose)
                : new PlainDisplay(out, steps, verbose);
    }
}
