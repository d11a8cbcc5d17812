package dev.arkonis.ark.dashboard.actions;

/** Approves a waiting step; the comment becomes its output. */
final class ApproveStep extends StepDecision {
    ApproveStep() {
        super(false);
    }

    @Override
    public String name() {
        return "approve";
    }

    @Override
    public String label() {
        return "Approve";
    }
}
