package dev.arkonis.ark.dashboard.actions;

/** Rejects a waiting step: it and the run fail, naming who rejected and why. */
final class RejectStep extends StepDecision {
    RejectStep() {
        super(true);
    }

    @Override
    public String name() {
        return "reject";
    }

    @Override
    public String label() {
        return "Reject";
    }
}
