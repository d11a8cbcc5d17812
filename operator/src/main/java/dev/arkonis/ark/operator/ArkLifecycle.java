package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;

/**
 * Moments in the life of runs and agents that other parts of the operator act on (ArkNotify notifications). Called
 * on reconcile threads once the new status is decided: implementations hand the work off and return at once.
 */
public interface ArkLifecycle {
    ArkLifecycle NONE = new ArkLifecycle() {
    };

    /** A run reached Succeeded, Failed, TimedOut or Cancelled; {@code status} is its new status. */
    default void runFinished(ArkRun run, RunStatus status) {
    }

    /** A step of a run failed (its own failure, a timeout, or validation given up); {@code status} is the run's new status. */
    default void stepFailed(ArkRun run, RunStatus status, String step, String message) {
    }

    /**
     * A step of a run began to wait for a person ({@code asking}: the how-manyth time it asks); {@code status} is the
     * run's new status, which holds the question.
     */
    default void approvalRequested(ArkRun run, RunStatus status, String step, int asking) {
    }

    /** An agent's rolling budget ran out ({@code exhausted}) or has room again; {@code status} is its new status. */
    default void budgetChanged(ArkAgent agent, AgentStatus status, boolean exhausted) {
    }
}
