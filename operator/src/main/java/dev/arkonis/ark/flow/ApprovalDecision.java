package dev.arkonis.ark.flow;

import java.time.Instant;

/**
 * A person's answer to an approval step. {@code by} is the identity the transport vouches for (in a cluster, the user
 * the API server authenticated); {@code comment} becomes the step's output when approved.
 */
public record ApprovalDecision(String step, boolean approved, String by, String comment, Instant at) {
    /** Longest comment kept: it is the step's output and sits in the run's status; clients refuse longer ones. */
    public static final int MAX_COMMENT_CHARS = 4096;

    public static ApprovalDecision approve(String step, String by, String comment, Instant at) {
        return new ApprovalDecision(step, true, by, comment, at);
    }

    public static ApprovalDecision reject(String step, String by, String comment, Instant at) {
        return new ApprovalDecision(step, false, by, comment, at);
    }
}
