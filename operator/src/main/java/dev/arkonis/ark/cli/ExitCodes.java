package dev.arkonis.ark.cli;

/** Exit codes scripts and CI rely on: the run succeeded, the run failed, or the input or usage was invalid. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID = 2;

    private ExitCodes() {
    }
}
