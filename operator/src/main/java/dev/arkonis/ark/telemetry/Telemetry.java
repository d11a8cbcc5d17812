package dev.arkonis.ark.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;

/**
 * What a process reports about itself: traces (through the OpenTelemetry SDK when {@code OTEL_*} variables ask for
 * it, a no-op otherwise, so nothing is loaded or sent by default) and metrics (served by the process's /metrics).
 */
public final class Telemetry implements AutoCloseable {
    /** Prompt and output text go into spans only when this is {@code true}. */
    public static final String CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
    private static final String SCOPE = "dev.arkonis.ark";

    /** Null while tracing is off: then not even the API's no-op classes are loaded (ark run's start-up). */
    private final OpenTelemetry otel;
    private final Runnable shutdown;
    private volatile Tracer tracer;
    private final boolean captureContent;
    private volatile ArkMetrics metrics;

    private Telemetry(OpenTelemetry otel, Runnable shutdown, boolean captureContent) {
        this.otel = otel;
        this.shutdown = shutdown;
        this.captureContent = captureContent;
    }

    /** Neither traces nor metrics are sent anywhere; metrics are still counted if asked for. */
    public static Telemetry none() {
        return new Telemetry(null, () -> { }, false);
    }

    /**
     * Traces as the standard variables say: the SDK starts only when some {@code OTEL_*} variable is set (and
     * {@code OTEL_SDK_DISABLED} is not true); spans are exported only when an OTLP endpoint or
     * {@code OTEL_TRACES_EXPORTER} is given. A configuration the SDK refuses is logged and tracing stays off.
     */
    public static Telemetry fromEnv(Map<String, String> env, String serviceName) {
        boolean capture = "true".equalsIgnoreCase(env.getOrDefault(CAPTURE_CONTENT, "").trim());
        if (!wanted(env)) {
            return new Telemetry(null, () -> { }, capture);
        }
        OtelSdk sdk = OtelSdk.start(env, serviceName);
        return sdk == null ? new Telemetry(null, () -> { }, capture)
                : new Telemetry(sdk.openTelemetry(), sdk::shutdown, capture);
    }

    /** Some OTEL_* variable asks for the SDK (checked here, so ark run without one never loads the SDK's classes). */
    private static boolean wanted(Map<String, String> env) {
        boolean any = env.keySet().stream().anyMatch(k -> k.startsWith("OTEL_") && !k.equals(CAPTURE_CONTENT));
        return any && !"true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim());
    }

    public OpenTelemetry openTelemetry() {
        return otel == null ? OpenTelemetry.noop() : otel;
    }

    /** The tracer of ark's spans; a no-op one while tracing is off. */
    public Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            t = openTelemetry().getTracer(SCOPE);
            tracer = t;
        }
        return t;
    }

    /** Whether spans go anywhere (callers skip building attributes they would only throw away). */
    public boolean tracing() {
        return otel != null;
    }

    public boolean capturesContent() {
        return captureContent;
    }

    /** The process's metrics, created on first use (so {@code ark run}, which serves none, never loads them). */
    public ArkMetrics metrics() {
        ArkMetrics m = metrics;
        if (m == null) {
            synchronized (this) {
                if (metrics == null) {
                    metrics = new ArkMetrics();
                }
                m = metrics;
            }
        }
        return m;
    }

    /** Metrics if something asked for them already; for code that only adds to them. */
    public ArkMetrics metricsIfUsed() {
        return metrics;
    }

    /** Starts a span with the ids given (its trace id applies when it has no parent), for spans a restart must not change. */
    public static Span startWithIds(SpanBuilder builder, String traceId, String spanId) {
        PinnedIds.pin(traceId, spanId);
        try {
            return builder.startSpan();
        } finally {
            PinnedIds.clear();
        }
    }

    /** Marks a span failed with a message that carries no secrets (ark's own error texts) and an error type. */
    public static void fail(Span span, String message, String errorType) {
        span.setStatus(StatusCode.ERROR, message == null ? "" : message);
        if (errorType != null) {
            span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
        }
    }

    /** Sends what is buffered and stops the SDK (a short-lived {@code ark run} exports its trace before it exits). */
    @Override
    public void close() {
        shutdown.run();
    }
}
