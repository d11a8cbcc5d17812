package dev.arkonis.ark.queue;

/** Task ids are deterministic, so redelivery and operator restarts can apply a result idempotently. */
public final class TaskIds {
    private TaskIds() {
    }

    /** {@code <run>/<step>/<attempt>}; '/' cannot appear in Kubernetes names. */
    public static String of(String run, String step, int attempt) {
        requireName("run", run);
        requireName("step", step);
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        return run + "/" + step + "/" + attempt;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank() || value.contains("/")) {
            throw new IllegalArgumentException(what + " must be non-blank and contain no '/': " + value);
        }
    }
}
