package dev.arkonis.ark.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/** One tool call the model asked for, as an {@code execute_tool <name>} span and in the tool-call counter. */
public final class ToolCall implements AutoCloseable {
    private final Telemetry telemetry;
    /** Null while tracing is off. */
    private final Span span;
    private final String kind;
    private final String server;
    private final String tool;
    private boolean ok = true;

    private ToolCall(Telemetry telemetry, Span span, String kind, String server, String tool) {
        this.telemetry = telemetry;
        this.span = span;
        this.kind = kind;
        this.server = server;
        this.tool = tool;
    }

    /** @param kind mcp or http; @param server the MCP server's name or the HTTP tool's host */
    public static ToolCall start(Telemetry telemetry, String kind, String server, String tool) {
        if (!telemetry.tracing()) {
            return new ToolCall(telemetry, null, kind, server, tool);
        }
        Span span = telemetry.tracer().spanBuilder("execute_tool " + tool).setSpanKind(SpanKind.CLIENT)
                .setAttribute(SpanAttributes.OPERATION, "execute_tool")
                .setAttribute(SpanAttributes.TOOL_NAME, tool)
                .setAttribute(SpanAttributes.TOOL_KIND, kind)
                .setAttribute(SpanAttributes.TOOL_SERVER, server)
                .startSpan();
        return new ToolCall(telemetry, span, kind, server, tool);
    }

    /** @param message ark's own error text, without arguments or headers */
    public void failed(String message, String errorType) {
        ok = false;
        if (span != null) {
            Telemetry.fail(span, message, errorType);
        }
    }

    @Override
    public void close() {
        if (span != null) {
            span.end();
        }
        ArkMetrics metrics = telemetry.metricsIfUsed();
        if (metrics != null) {
            metrics.toolCall(kind, server, tool, ok);
        }
    }
}
