package dev.arkonis.ark.cli;

import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.local.Approver;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * No terminal to ask on (a pipe, CI): a step with a timeout waits for it, as its onTimeout says; one without a timeout
 * would wait forever, so it is rejected at once. Either way the run says how to decide in advance.
 */
final class UnattendedApprover implements Approver {
    static final String BY = "ark run";

    private final PrintWriter err;
    private final Clock clock;

    UnattendedApprover(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void ask(StepState step, Consumer<ApprovalDecision> decide) {
        String hint = "pass --approve " + step.name() + " or --reject " + step.name();
        if (step.deadline() != null) {
            err.println("note: step " + step.name() + " waits for approval until " + step.deadline()
                    + " (then its onTimeout decides); there is no terminal to ask on: " + hint + " to decide in advance");
            err.flush();
            return;
        }
        decide.accept(ApprovalDecision.reject(step.name(), BY, "no terminal to ask on and no approval.timeout to wait for; "
                + hint, clock.instant()));
    }
}
