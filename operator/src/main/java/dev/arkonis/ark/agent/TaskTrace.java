package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.Delivery;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import dev.arkonis.ark.telemetry.SpanAttributes;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.MDC;

/**
 * A task's part of its run's trace, continued from the task's {@code traceparent}: the time it waited in the stream
 * (from the entry's id, which is the time Redis added it) and the agent's work on it, in whose scope the model and
 * tool calls are made; its trace id is in every log line of the task.
 */
final class TaskTrace {
    static final String MDC_TRACE_ID = "trace_id";
    static final String MDC_SPAN_ID = "span_id";

    private final Telemetry telemetry;
    private final AgentConfig config;
    private final Clock clock;

    TaskTrace(Telemetry telemetry, AgentConfig config, Clock clock) {
        this.telemetry = telemetry;
        this.config = config;
        this.clock = clock;
    }

    /** Records the queue wait and opens the task's span (current on this thread until {@link Traced#close()}). */
    Traced begin(Delivery delivery, TaskMessage task) {
        Context parent = TraceContext.parentOf(task.traceparent());
        Instant taken = clock.instant();
        Instant queued = queuedAt(delivery.entryId(), taken);
        Map<String, String> extra = task.extra();
        String step = extra.getOrDefault("step", "");
        String role = role(config.queue());
        telemetry.tracer().spanBuilder("queue " + role).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(queued)
                .setAttribute(SpanAttributes.STREAM, config.queue()).setAttribute(SpanAttributes.ROLE, role)
                .setAttribute(SpanAttributes.TASK, task.task())
                .setAttribute(SpanAttributes.DELIVERIES, delivery.deliveries())
                .startSpan().end(taken);
        Duration waited = Duration.between(queued, taken);
        telemetry.metrics().queueWait(config.queue(), waited);
        Span span = telemetry.tracer().spanBuilder("task " + step).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanAttributes.STEP, step).setAttribute(SpanAttributes.ROLE, role)
                .setAttribute(SpanAttributes.RUN, extra.getOrDefault("run", ""))
                .setAttribute(SpanAttributes.ATTEMPT, parseLong(extra.get("attempt")))
                .setAttribute(SpanAttributes.TASK, task.task())
                .setAttribute(SpanAttributes.AGENT, config.podName())
                .startSpan();
        return new Traced(span, span.makeCurrent(), mdc(span.getSpanContext(), task.traceparent(), extra), waited);
    }

    /** The open span of one task. */
    static final class Traced implements AutoCloseable {
        private final Span span;
        private final Scope scope;
        private final Runnable clearMdc;
        private final Duration queueWait;

        Traced(Span span, Scope scope, Runnable clearMdc, Duration queueWait) {
            this.span = span;
            this.scope = scope;
            this.clearMdc = clearMdc;
            this.queueWait = queueWait;
        }

        /** How long the task waited in its stream (added → taken), for its result and the run's timeline. */
        Duration queueWait() {
            return queueWait;
        }

        void finished(TaskResult result) {
            span.setAttribute(SpanAttributes.INPUT_TOKENS, result.inputTokens());
            span.setAttribute(SpanAttributes.OUTPUT_TOKENS, result.outputTokens());
            span.setAttribute(SpanAttributes.OUTCOME, result.status() == TaskStatus.SUCCEEDED ? "succeeded" : "failed");
            if (result.status() != TaskStatus.SUCCEEDED) {
                Telemetry.fail(span, result.error(), "task_failed");
            }
        }

        @Override
        public void close() {
            scope.close();
            span.end();
            clearMdc.run();
        }
    }

    private static Runnable mdc(SpanContext context, String traceparent, Map<String, String> extra) {
        String traceId = context.isValid() ? context.getTraceId() : traceIdOf(traceparent);
        if (!traceId.isEmpty()) {
            MDC.put(MDC_TRACE_ID, traceId);
        }
        if (context.isValid()) {
            MDC.put(MDC_SPAN_ID, context.getSpanId());
        }
        putIfPresent("run", extra.get("run"));
        putIfPresent("step", extra.get("step"));
        putIfPresent("attempt", extra.get("attempt"));
        return () -> {
            MDC.remove(MDC_TRACE_ID);
            MDC.remove(MDC_SPAN_ID);
            MDC.remove("run");
            MDC.remove("step");
            MDC.remove("attempt");
        };
    }

    /** Without tracing there is no span, but the task's traceparent still names the run's trace. */
    private static String traceIdOf(String traceparent) {
        SpanContext remote = Span.fromContext(TraceContext.parentOf(traceparent)).getSpanContext();
        return remote.isValid() ? remote.getTraceId() : "";
    }

    private static void putIfPresent(String key, String value) {
        if (value != null && !value.isEmpty()) {
            MDC.put(key, value);
        }
    }

    /** The role is the stream key's last part ({@code <namespace>.<team>.<role>}). */
    static String role(String stream) {
        int dot = stream.lastIndexOf('.');
        return dot < 0 ? stream : stream.substring(dot + 1);
    }

    /** Redis stream ids start with the milliseconds at which the entry was added. */
    static Instant queuedAt(String entryId, Instant fallback) {
        int dash = entryId == null ? -1 : entryId.indexOf('-');
        try {
            Instant at = Instant.ofEpochMilli(Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash)));
            return at.isAfter(fallback) ? fallback : at;
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
