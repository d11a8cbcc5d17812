package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;

/** A step of a run as it stands; {@code iterations} counts the iterations a loop step has started. */
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
        int iterations) {

    /** A step with no iterations counted (not a loop step, or one that has not started). */
    public StepState(String name, String role, StepPhase phase, String taskId, int attempts, int validationAttempts,
                     Instant startTime, Instant completionTime, Instant deadline, String output, String message,
                     TokenUsage tokens) {
        this(name, role, phase, taskId, attempts, validationAttempts, startTime, completionTime, deadline, output,
                message, tokens, 0);
    }
}
