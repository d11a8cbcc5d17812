package dev.arkonis.ark.api;

public enum StepPhase {
    Pending, Running, WaitingForApproval, Succeeded, Failed, Skipped, Cancelled;

    public boolean isFinished() {
        return this == Succeeded || this == Failed || this == Skipped || this == Cancelled;
    }
}
