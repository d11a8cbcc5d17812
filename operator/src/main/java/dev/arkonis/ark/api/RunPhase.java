package dev.arkonis.ark.api;

public enum RunPhase {
    Pending, Running, WaitingForApproval, Succeeded, Failed, TimedOut, Cancelled;

    public boolean isFinished() {
        return this == Succeeded || this == Failed || this == TimedOut || this == Cancelled;
    }
}
