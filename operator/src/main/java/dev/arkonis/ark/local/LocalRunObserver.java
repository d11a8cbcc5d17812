package dev.arkonis.ark.local;

import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.llm.RetryNotice;

/**
 * Hears about a local run as it goes: each step change, each attempt's raw reply, each provider retry, then the end.
 * {@link #providerRetry} is called from worker threads; the others from the thread driving the run.
 */
public interface LocalRunObserver {
    LocalRunObserver NONE = new LocalRunObserver() {
    };

    default void stepChanged(StepState step) {
    }

    default void attemptFinished(Attempt attempt) {
    }

    default void providerRetry(String step, RetryNotice notice) {
    }

    /** The step's task was answered from the step cache: no model was called. */
    default void answeredFromCache(String step, CachedAnswer answer) {
    }

    default void runFinished(PipelineRun run) {
    }
}
