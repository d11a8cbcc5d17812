package dev.arkonis.ark.flow;

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
}
