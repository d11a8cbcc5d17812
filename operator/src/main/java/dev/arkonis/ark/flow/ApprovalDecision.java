package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * A person's answer to an approval step. {@code by} is the identity the transport vouches for (in a cluster, the user
 * the API server authenticated); {@code comment} becomes the step's output when approved.
 */
public record ApprovalDecision(String step, boolean approved, String by, String comment, Instant at) {

    public static ApprovalDecision approve(String step, String by, String comment, Instant at) {
        return new ApprovalDecision(step, true, by, comment, at);
    }

    public static ApprovalDecision reject(String step, String by, String comment, Instant at) {
        return new ApprovalDecision(step, false, by, comment, at);
    }
}
