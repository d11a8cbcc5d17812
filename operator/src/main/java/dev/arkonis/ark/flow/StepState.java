package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;

/** A step of a run as it stands. */
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
        TokenUsage tokens) {
}
