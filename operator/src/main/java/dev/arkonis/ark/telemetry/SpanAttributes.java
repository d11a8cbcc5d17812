package dev.arkonis.ark.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/** Span attribute names: the OpenTelemetry GenAI semantic conventions for model and tool calls, and ark's own. */
public final class SpanAttributes {
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    public static final AttributeKey<Long> CACHE_WRITE_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    public static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    public static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt");
    public static final AttributeKey<String> COMPLETION = AttributeKey.stringKey("gen_ai.completion");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("ark.cost_usd");
    public static final AttributeKey<String> ANSWERED_BY = AttributeKey.stringKey("ark.llm.answered_by");
    public static final AttributeKey<String> FALLBACK_REASON = AttributeKey.stringKey("ark.llm.fallback_reason");
    public static final AttributeKey<Long> RATE_LIMIT_WAIT_MS = AttributeKey.longKey("ark.llm.rate_limit_wait_ms");
    public static final AttributeKey<Long> RETRIES = AttributeKey.longKey("ark.llm.retries");
    public static final AttributeKey<Long> TURN = AttributeKey.longKey("ark.llm.turn");
    public static final AttributeKey<String> TOOL_KIND = AttributeKey.stringKey("ark.tool.kind");
    public static final AttributeKey<String> TOOL_SERVER = AttributeKey.stringKey("ark.tool.server");
    public static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("ark.namespace");
    public static final AttributeKey<String> TEAM = AttributeKey.stringKey("ark.team");
    public static final AttributeKey<String> RUN = AttributeKey.stringKey("ark.run");
    public static final AttributeKey<String> STEP = AttributeKey.stringKey("ark.step");
    public static final AttributeKey<String> ROLE = AttributeKey.stringKey("ark.role");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ark.attempt");
    public static final AttributeKey<String> TASK = AttributeKey.stringKey("ark.task");
    public static final AttributeKey<Long> DELIVERIES = AttributeKey.longKey("ark.deliveries");
    public static final AttributeKey<String> AGENT = AttributeKey.stringKey("ark.agent");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("ark.outcome");
    public static final AttributeKey<String> STREAM = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> CONTROLLER = AttributeKey.stringKey("ark.controller");

    private SpanAttributes() {
    }
}
