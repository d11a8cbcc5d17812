package dev.arkonis.ark.cli;

/** Exit codes of SPEC 6. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID = 2;

    private ExitCodes() {
    }
}
