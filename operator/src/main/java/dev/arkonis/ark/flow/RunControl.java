package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * What people asked of a run besides its results: suspended since when (no new steps start, its timeouts pause), and
 * cancelled when (nothing new starts, what is queued is withdrawn, the run ends Cancelled once taken tasks end).
 */
public record RunControl(Instant suspendedAt, Instant cancelledAt) {
    public static final RunControl NONE = new RunControl(null, null);

    public boolean suspended() {
        return suspendedAt != null;
    }

    public boolean cancelled() {
        return cancelledAt != null;
    }

    RunControl suspend(Instant at) {
        return new RunControl(at, cancelledAt);
    }

    RunControl unsuspend() {
        return new RunControl(null, cancelledAt);
    }

    RunControl cancel(Instant at) {
        return new RunControl(suspendedAt, at);
    }
}
