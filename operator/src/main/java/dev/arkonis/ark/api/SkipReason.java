package dev.arkonis.ark.api;

/** Why a step was Skipped: only a false condition lets the steps that depend on it run. */
public enum SkipReason {
    /** Its own {@code if} rendered falsy. */
    ConditionFalse,
    /** A step it depends on failed. */
    DependencyFailed,
    /** Another step failed, so the run starts no new work. */
    RunFailed,
    /** The run timed out before the step started. */
    RunTimedOut,
    /** The run's token budget was spent before the step started. */
    BudgetExceeded
}
