package dev.arkonis.ark.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * W3C trace context for tasks: one trace per run (from the run's uid), one parent span per task (from its id), so
 * an agent's spans join the run's trace and a re-sent task carries the same context. The operator records the run's
 * and the step attempts' spans with exactly these ids, whichever replica or restart of it sees them end.
 */
public final class TraceContext {
    private TraceContext() {
    }

    /** {@code 00-<trace id>-<span id>-01}, deterministic from the run and the task. */
    public static String traceparent(String runUid, String taskId) {
        return "00-" + traceId(runUid) + "-" + attemptSpanId(taskId) + "-01";
    }

    public static String traceId(String runUid) {
        return hex(runUid, 32);
    }

    /** The span of a step attempt: the parent every agent-side span of its task hangs from. */
    public static String attemptSpanId(String taskId) {
        return hex(taskId, 16);
    }

    /** The run's own span, parent of its step attempts. */
    public static String runSpanId(String runUid) {
        return hex(runUid + "/run", 16);
    }

    public static SpanContext runSpan(String runUid) {
        return SpanContext.createFromRemoteParent(traceId(runUid), runSpanId(runUid), TraceFlags.getSampled(),
                TraceState.getDefault());
    }

    /** The context a task's traceparent names, as the parent of the agent's spans; the root context when it has none. */
    public static Context parentOf(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }

    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private static String hex(String seed, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
