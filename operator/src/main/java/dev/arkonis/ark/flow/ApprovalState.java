package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ApprovalStatus;
import dev.arkonis.ark.api.ApprovalVerdict;
import java.time.Instant;

/**
 * An approval step as it stands: what the approver is asked and, once decided, the verdict, who decided and when, and
 * their comment. A timeout decides with {@code timedOut} set and nobody in {@code decidedBy}.
 */
public record ApprovalState(String message, ApprovalVerdict verdict, String decidedBy, Instant decidedAt,
                            String comment, boolean timedOut) {

    static ApprovalState asking(String message) {
        return new ApprovalState(message, null, null, null, null, false);
    }

    public boolean isDecided() {
        return verdict != null;
    }

    /** As a run's status records it. */
    public ApprovalStatus toStatus() {
        return new ApprovalStatus(message, verdict, decidedBy, decidedAt == null ? null : decidedAt.toString(), comment,
                timedOut ? Boolean.TRUE : null);
    }

    /** What a run's status recorded, or null for a step that is no approval step. */
    public static ApprovalState fromStatus(ApprovalStatus status) {
        if (status == null) {
            return null;
        }
        Instant at = status.decidedAt() == null || status.decidedAt().isEmpty() ? null : Instant.parse(status.decidedAt());
        return new ApprovalState(status.message(), status.decision(), status.decidedBy(), at, status.comment(),
                Boolean.TRUE.equals(status.timedOut()));
    }
}
