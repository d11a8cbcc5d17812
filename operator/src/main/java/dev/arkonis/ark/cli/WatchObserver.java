package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.llm.RetryNotice;
import dev.arkonis.ark.local.Attempt;
import dev.arkonis.ark.local.LocalRunObserver;

/** What a local run tells the CLI: every attempt goes to the log (for -o json), and to the display with --watch. */
final class WatchObserver implements LocalRunObserver {
    private final StepDisplay display;
    private final AttemptLog attempts;

    /** @param display the live or plain display, or null without --watch */
    WatchObserver(StepDisplay display, AttemptLog attempts) {
        this.display = display;
        this.attempts = attempts;
    }

    @Override
    public void stepChanged(StepState step) {
        if (display != null) {
            display.stepChanged(step);
        }
    }

    @Override
    public void attemptFinished(Attempt attempt) {
        attempts.add(attempt);
        if (display != null) {
            display.attemptFinished(attempt);
        }
    }

    @Override
    public void providerRetry(String step, RetryNotice notice) {
        if (display != null) {
            display.providerRetry(step, notice);
        }
    }
}
