package dev.arkonis.ark.cli;

import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.llm.RetryNotice;
import dev.arkonis.ark.local.Attempt;
import java.io.PrintWriter;
import java.util.List;

/** One plain line per change, for pipes and files: nothing is redrawn, every line stands on its own. */
final class PlainDisplay implements StepDisplay {
    /** Characters of a raw reply shown when not verbose. */
    static final int RAW_PREVIEW = 200;

    private final PrintWriter out;
    private int nameWidth;
    private final boolean verbose;

    PlainDisplay(PrintWriter out, List<StepState> steps, boolean verbose) {
        this.out = out;
        this.nameWidth = nameWidth(steps, Integer.MAX_VALUE);
        this.verbose = verbose;
    }

    static int nameWidth(List<StepState> steps, int max) {
        int widest = steps.stream().mapToInt(s -> TextWidth.width(StepLines.label(s))).max().orElse(4);
        return Math.max(4, Math.min(widest, max));
    }

    @Override
    public synchronized void stepChanged(StepState step) {
        nameWidth = Math.max(nameWidth, TextWidth.width(StepLines.label(step)));
        print(StepLines.step(step, nameWidth));
    }

    @Override
    public synchronized void attemptFinished(Attempt attempt) {
        if (!attempt.rejectedByChecks()) {
            return;
        }
        String head = TextWidth.pad(attempt.step(), nameWidth) + "  attempt " + attempt.attempt();
        print(head + " rejected: " + TextWidth.flatten(attempt.problem()));
        if (verbose) {
            out.println(head + " raw reply:");
            out.println(RawReply.whole(attempt.rawOutput()));
            out.flush();
        } else {
            print(head + " raw reply: \"" + StepLines.preview(attempt.rawOutput(), RAW_PREVIEW) + "\"");
        }
    }

    @Override
    public synchronized void providerRetry(String step, RetryNotice notice) {
        print(TextWidth.pad(step, nameWidth) + "  " + notice.describe());
    }

    @Override
    public void close() {
        out.flush();
    }

    private void print(String line) {
        out.println(line);
        out.flush();
    }
}
