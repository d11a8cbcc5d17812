package dev.arkonis.ark.queue;

/** How a task ended, as written in the result's {@code status} field. */
public enum TaskStatus {
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static TaskStatus fromWire(String value) {
        for (TaskStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task status: " + value);
    }
}
