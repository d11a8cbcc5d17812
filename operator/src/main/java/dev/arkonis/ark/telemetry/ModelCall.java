package dev.arkonis.ark.telemetry;

import dev.arkonis.ark.api.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.List;

/**
 * One LLM call as a GenAI client span ({@code chat <model>}, child of the current span) and in the call metrics.
 * Prompt and answer text are attributes only when {@link Telemetry#capturesContent()}.
 */
public final class ModelCall implements AutoCloseable {
    private final Telemetry telemetry;
    /** Null while tracing is off. */
    private final Span span;
    private final String system;
    private final String model;
    private final long started = System.nanoTime();
    private TokenUsage used = TokenUsage.ZERO;
    private boolean ok;
    private int retries;

    private ModelCall(Telemetry telemetry, Span span, String system, String model) {
        this.telemetry = telemetry;
        this.span = span;
        this.system = system;
        this.model = model;
    }

    /** @param prompt recorded only when content capture is on; may be null */
    public static ModelCall start(Telemetry telemetry, String system, String model, int turn, int maxTokens,
                                  String prompt) {
        if (!telemetry.tracing()) {
            return new ModelCall(telemetry, null, system, model);
        }
        Span span = telemetry.tracer().spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
                .setAttribute(SpanAttributes.OPERATION, "chat")
                .setAttribute(SpanAttributes.SYSTEM, system)
                .setAttribute(SpanAttributes.REQUEST_MODEL, model)
                .setAttribute(SpanAttributes.TURN, (long) turn)
                .startSpan();
        if (maxTokens > 0) {
            span.setAttribute(SpanAttributes.REQUEST_MAX_TOKENS, (long) maxTokens);
        }
        if (telemetry.capturesContent() && prompt != null) {
            span.setAttribute(SpanAttributes.PROMPT, prompt);
        }
        return new ModelCall(telemetry, span, system, model);
    }

    public void answered(String responseModel, TokenUsage usage, List<String> finishReasons, String text) {
        ok = true;
        used = usage;
        if (span == null) {
            return;
        }
        span.setAttribute(SpanAttributes.RESPONSE_MODEL, responseModel == null || responseModel.isBlank() ? model : responseModel);
        span.setAttribute(SpanAttributes.INPUT_TOKENS, usage.inputTokens());
        span.setAttribute(SpanAttributes.OUTPUT_TOKENS, usage.outputTokens());
        if (usage.cachedInputTokens() > 0) {
            span.setAttribute(SpanAttributes.CACHE_READ_TOKENS, usage.cachedInputTokens());
        }
        if (usage.cacheWriteTokens() > 0) {
            span.setAttribute(SpanAttributes.CACHE_WRITE_TOKENS, usage.cacheWriteTokens());
        }
        if (usage.costUSD() != null) {
            span.setAttribute(SpanAttributes.COST_USD, usage.costUSD().doubleValue());
        }
        if (finishReasons != null && !finishReasons.isEmpty()) {
            span.setAttribute(SpanAttributes.FINISH_REASONS, finishReasons);
        }
        if (telemetry.capturesContent() && text != null) {
            span.setAttribute(SpanAttributes.COMPLETION, text);
        }
    }

    /** @param message ark's own error text (never a request or a key) */
    public void failed(String message, String errorType) {
        if (span != null) {
            Telemetry.fail(span, message, errorType);
        }
    }

    public void retried() {
        retries++;
    }

    @Override
    public void close() {
        if (span != null) {
            span.setAttribute(SpanAttributes.RETRIES, (long) retries);
            span.end();
        }
        ArkMetrics metrics = telemetry.metricsIfUsed();
        if (metrics != null) {
            metrics.llmCall(system, model, ok, Duration.ofNanos(System.nanoTime() - started), used);
        }
    }
}
