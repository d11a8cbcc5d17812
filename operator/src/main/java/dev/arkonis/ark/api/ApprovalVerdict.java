package dev.arkonis.ark.api;

/** What an approval step's decider said. */
public enum ApprovalVerdict {
    Approved, Rejected
}
