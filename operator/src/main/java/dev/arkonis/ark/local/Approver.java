package dev.arkonis.ark.local;

import dev.arkonis.ark.flow.ApprovalDecision;
import dev.arkonis.ark.flow.StepState;
import java.util.function.Consumer;

/** Who decides the approval steps of a local run: asked once for each step that starts waiting. */
public interface Approver {
    /** Nobody answers: each approval step's timeout decides. */
    Approver NONE = (step, decide) -> {
    };

    /** Asks for a decision on a waiting step; {@code decide} may be called at once, later from any thread, or never. */
    void ask(StepState step, Consumer<ApprovalDecision> decide);

    /** The step waits no more (decided, timed out or abandoned): a question still open about it is moot. */
    default void settled(StepState step) {
    }
}
