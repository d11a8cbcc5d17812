package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * Where a step's output came from when no model was called for it in this run: the step cache, or the run this one
 * was resumed from. {@code at} is when that output was made, where known.
 */
public record OutputOrigin(Kind kind, String run, Instant at) {
    public enum Kind { Cached, Reused }

    public static OutputOrigin cached(String run, Instant at) {
        return new OutputOrigin(Kind.Cached, run, at);
    }

    public static OutputOrigin reused(String run) {
        return new OutputOrigin(Kind.Reused, run, null);
    }

    /** From a run's status ({@code cached}/{@code reused} and {@code sourceRun} of a step), or null. */
    public static OutputOrigin fromStatus(Boolean cached, Boolean reused, String sourceRun) {
        if (Boolean.TRUE.equals(cached)) {
            return new OutputOrigin(Kind.Cached, sourceRun, null);
        }
        return Boolean.TRUE.equals(reused) ? reused(sourceRun) : null;
    }
}
