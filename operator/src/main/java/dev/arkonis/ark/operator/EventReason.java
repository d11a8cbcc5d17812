package dev.arkonis.ark.operator;

/**
 * Why the operator recorded a Kubernetes Event, as {@code kubectl describe} shows it; each reason is always of the
 * same type, Normal or Warning, but for an Event that tells several transitions of a run at once, which is headed by
 * one of them and is a Warning if any of them is. Users, scripts and the user's guide read these names: renaming one
 * breaks them.
 */
public enum EventReason {
    // a run's timeline
    RunStarted(false),
    StepStarted(false),
    StepSucceeded(false),
    StepSkipped(false),
    StepFailed(true),
    RunSucceeded(false),
    RunFailed(true),
    RunTimedOut(true),
    RunCancelled(true),
    RetryRequested(false),
    RetryRejected(true),
    TasksResent(true),
    // people steering a run: approval steps, suspend, resume, cancel
    ApprovalRequested(false),
    Approved(false),
    Rejected(true),
    RunSuspended(false),
    RunResumed(false),
    CancelRequested(false),
    StepCancelled(false),
    // a run that waits for one in flight to finish (the operator's in-flight limit)
    RunQueued(false),
    // a run that could not start
    RunInvalidSpec(true),
    RunTeamNotFound(true),
    RunInvalidTeam(true),
    RunInvalidInput(true),
    RunInvalidResume(true),
    // an agent's rolling budget
    BudgetExceeded(true),
    BudgetWarning(true),
    BudgetRestored(false),
    // an autoscaled agent's replicas following the work
    AutoscaleAgent(false),
    // an ArkEvent's fires, and the fires it refused
    Fired(false),
    MissedSchedule(true),
    Suspended(true),
    ConcurrencyForbidden(true),
    InputTemplateFailed(true),
    // an ArkNotify's messages, and a team whose notifyRef names none
    TemplateFailed(true),
    DeliveryFailed(true),
    NotifyNotFound(true),
    // any object
    InvalidSpec(true),
    Unreadable(true),
    ReconcileError(true);

    private final boolean warning;

    EventReason(boolean warning) {
        this.warning = warning;
    }

    /** The Event's type: {@code Warning} or {@code Normal}. */
    public String type() {
        return warning ? "Warning" : "Normal";
    }
}
