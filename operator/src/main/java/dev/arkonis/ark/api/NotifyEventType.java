package dev.arkonis.ark.api;

import java.util.Set;

/** What an ArkNotify can be told about, and which template data each kind has. */
public enum NotifyEventType {
    TeamSucceeded, TeamFailed, TeamTimedOut, StepFailed, BudgetExceeded, BudgetRestored, ApprovalRequested;

    /** The root fields a template of this kind may read. */
    public Set<String> templateRoots() {
        return switch (this) {
            case TeamSucceeded, TeamFailed, TeamTimedOut -> Set.of("team", "run", "event", "message");
            case StepFailed -> Set.of("team", "run", "step", "event", "message");
            case BudgetExceeded, BudgetRestored -> Set.of("team", "agent", "event", "message");
            case ApprovalRequested -> Set.of("team", "run", "step", "approval", "event", "message");
        };
    }
}
