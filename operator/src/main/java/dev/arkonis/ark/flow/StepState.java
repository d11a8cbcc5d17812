package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A step of a run as it stands. The message is for people; what the engine needs to carry on after a restore is in
 * fields of its own.
 *
 * @param skipReason       why a Skipped step was skipped, else null
 * @param validationErrors the errors of the last output that failed the step's checks (fed back into its retry)
 * @param iterations       the iterations a loop step has started
 * @param queueWait        how long its tasks waited for a worker, summed over the results applied; null when no
 *                         result said (older agents)
 * @param approval         an approval step's question and decision, else null
 * @param origin           where its output came from when no model was called for it in this run, else null
 * @param delegation       how a delegated step came from its parent's delegate call; null for the team's own steps
 * @param assignment       the agent that routing or a registryLookup chose for it, and why; null for role steps
 */
public record StepState(
        String name,
        String role,
        StepPhase phase,
        String taskId,
        int attempts,
        int validationAttempts,
        Instant startTime,
        Instant completionTime,
        Instant deadline,
        String output,
        String message,
        TokenUsage tokens,
        SkipReason skipReason,
        List<String> validationErrors,
        int iterations,
        Duration queueWait,
        ApprovalState approval,
        OutputOrigin origin,
        Delegation delegation,
        Assignment assignment) {

    public StepState {
        validationErrors = validationErrors == null ? List.of() : List.copyOf(validationErrors);
    }

    /** A step of a role whose output, if any, came from a model call of this run. */
    public StepState(String name, String role, StepPhase phase, String taskId, int attempts, int validationAttempts,
                     Instant startTime, Instant completionTime, Instant deadline, String output, String message,
                     TokenUsage tokens, SkipReason skipReason, List<String> validationErrors, int iterations,
                     Duration queueWait) {
        this(name, role, phase, taskId, attempts, validationAttempts, startTime, completionTime, deadline, output,
                message, tokens, skipReason, validationErrors, iterations, queueWait, null, null, null, null);
    }

    /**
     * A step delegated by {@code parent} (attempt {@code parentAttempt}, its {@code call}-th delegate call),
     * {@code depth} hops below the run's entry task, to do {@code task}.
     */
    public record Delegation(String parent, int parentAttempt, int call, int depth, String task) {
        /** As a step's status records it; null for a step no delegate call made. */
        public static Delegation of(StepStatus step) {
            StepStatus.Delegation d = step.delegation();
            return step.parent() == null || d == null ? null : new Delegation(step.parent(), zero(d.parentAttempt()),
                    zero(d.call()), zero(d.depth()), d.task() == null ? "" : d.task());
        }

        private static int zero(Integer value) {
            return value == null ? 0 : value;
        }
    }

    /** The ArkAgent chosen to run a step, the capability it was chosen by (null for a fallback), and why. */
    public record Assignment(String agent, String capability, String reason) {
        /** As a step's status records it; null for a step of its role. */
        public static Assignment of(StepStatus step) {
            return step.resolvedAgent() == null ? null
                    : new Assignment(step.resolvedAgent(), step.selectedCapability(), step.routingReason());
        }
    }

    /** A step of the team's own, neither delegated nor given an agent by routing or a lookup. */
    public StepState(String name, String role, StepPhase phase, String taskId, int attempts, int validationAttempts,
                     Instant startTime, Instant completionTime, Instant deadline, String output, String message,
                     TokenUsage tokens, SkipReason skipReason, List<String> validationErrors, int iterations,
                     Duration queueWait, ApprovalState approval, OutputOrigin origin) {
        this(name, role, phase, taskId, attempts, validationAttempts, startTime, completionTime, deadline, output,
                message, tokens, skipReason, validationErrors, iterations, queueWait, approval, origin, null, null);
    }

    /** A step that was not skipped, has no rejected output and is not a loop step. */
    public StepState(String name, String role, StepPhase phase, String taskId, int attempts, int validationAttempts,
                     Instant startTime, Instant completionTime, Instant deadline, String output, String message,
                     TokenUsage tokens) {
        this(name, role, phase, taskId, attempts, validationAttempts, startTime, completionTime, deadline, output,
                message, tokens, null, List.of(), 0, null, null, null, null, null);
    }
}
