package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Mutable bookkeeping of one step of a {@link PipelineRun}; only the run changes it. */
final class StepRun {
    final StepDefinition def;
    StepPhase phase = StepPhase.Pending;
    String taskId;
    int attempts;
    int validationAttempts;
    Instant startTime;
    Instant completionTime;
    Instant deadline;
    String prompt;
    String output;
    String message;
    // its output waits on the judge's verdict (validate.semantic)
    boolean judging;
    // a routed step waiting for the router's choice
    boolean routing;
    SkipReason skipReason;
    List<String> validationErrors = List.of();
    int unmetDependencies;
    int iterations;
    TokenUsage tokens = TokenUsage.ZERO;
    // like tokens, summed over every result applied, retries included
    Duration queueWait;
    // where its tasks go and the limits they run under; set when it starts
    AgentRef assignee;
    AgentSpec agentSpec;
    // chosen by routing or a registryLookup: by which capability (null for a fallback), and why
    boolean resolved;
    String capability;
    String reason;
    // set for a step another step delegated
    StepState.Delegation delegation;
    ApprovalState approval;
    OutputOrigin origin;

    StepRun(StepDefinition def) {
        this.def = def;
    }

    boolean isChild() {
        return delegation != null;
    }

    /** Delegation hops below the run's entry task: 0 for the team's own steps. */
    int depth() {
        return delegation == null ? 0 : delegation.depth();
    }

    /** Dependents may run after a step that succeeded or was skipped by its own condition. */
    boolean letsDependentsRun() {
        return phase == StepPhase.Succeeded || (phase == StepPhase.Skipped && skipReason == SkipReason.ConditionFalse);
    }

    void reset() {
        phase = StepPhase.Pending;
        iterations = 0;
        judging = false;
        routing = false;
        skipReason = null;
        validationErrors = List.of();
        validationAttempts = 0;
        startTime = null;
        completionTime = null;
        deadline = null;
        output = null;
        message = null;
        prompt = null;
        assignee = null;
        agentSpec = null;
        resolved = false;
        capability = null;
        reason = null;
        approval = null;
        origin = null;
    }

    StepState state() {
        StepState.Assignment assignment = resolved || reason != null
                ? new StepState.Assignment(assignee == null ? null : assignee.agent(), capability, reason) : null;
        return new StepState(def.name(), def.roleName(), phase, taskId, attempts, validationAttempts, startTime,
                completionTime, deadline, output, message, tokens, skipReason, validationErrors, iterations, queueWait,
                approval, origin, delegation, assignment);
    }
}
