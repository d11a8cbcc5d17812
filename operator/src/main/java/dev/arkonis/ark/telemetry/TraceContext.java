package dev.arkonis.ark.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * W3C trace context for tasks: one trace per run (from the run's uid), one parent span per task (from its id), so
 * an agent's spans join the run's trace and a re-sent task carries the same context.
 */
public final class TraceContext {
    private TraceContext() {
    }

    /** {@code 00-<trace id>-<span id>-01}, deterministic from the run and the task. */
    public static String traceparent(String runUid, String taskId) {
        return "00-" + hex(runUid, 32) + "-" + hex(taskId, 16) + "-01";
    }

    private static String hex(String seed, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
