package dev.arkonis.ark.api;

public enum StepPhase {
    Pending, Running, WaitingForApproval, Succeeded, Failed, Skipped, Cancelled,
    /** Running, with its task sent to agents that have no ready pod yet (scaled to zero, starting up). */
    WarmingUp;

    public boolean isFinished() {
        return this == Succeeded || this == Failed || this == Skipped || this == Cancelled;
    }
}
