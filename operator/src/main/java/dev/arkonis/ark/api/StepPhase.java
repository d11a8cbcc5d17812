package dev.arkonis.ark.api;

public enum StepPhase {
    Pending, Running, Succeeded, Failed, Skipped;

    public boolean isFinished() {
        return this == Succeeded || this == Failed || this == Skipped;
    }
}
