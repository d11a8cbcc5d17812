package dev.arkonis.ark.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Span and trace ids the caller chose, for spans recorded after the fact by a process that may have restarted since
 * (the operator's run and step spans); random ids otherwise. The choice is per thread and per span start.
 */
final class PinnedIds implements IdGenerator {
    private static final ThreadLocal<String[]> NEXT = new ThreadLocal<>();
    private final IdGenerator random = IdGenerator.random();

    /** The next span started on this thread gets these ids (a null trace id keeps the parent's or a random one). */
    static void pin(String traceId, String spanId) {
        NEXT.set(new String[] {traceId, spanId});
    }

    static void clear() {
        NEXT.remove();
    }

    @Override
    public String generateSpanId() {
        String[] pinned = NEXT.get();
        if (pinned == null || pinned[1] == null) {
            return random.generateSpanId();
        }
        String id = pinned[1];
        pinned[1] = null;
        return id;
    }

    @Override
    public String generateTraceId() {
        String[] pinned = NEXT.get();
        if (pinned == null || pinned[0] == null) {
            return random.generateTraceId();
        }
        String id = pinned[0];
        pinned[0] = null;
        return id;
    }

    @Override
    public boolean generatesRandomTraceIds() {
        return false;
    }
}
