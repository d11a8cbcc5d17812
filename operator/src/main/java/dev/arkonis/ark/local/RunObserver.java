package dev.arkonis.ark.local;

import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;

/** Hears about a local run as it goes: each step change, then the end. */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {
    };

    default void stepChanged(StepState step) {
    }

    default void runFinished(PipelineRun run) {
    }
}
