package dev.arkonis.ark.telemetry;

import dev.arkonis.ark.config.Setting;
import java.util.List;
import java.util.Optional;

/**
 * The variables of traces and logs every ark process reads: the OpenTelemetry SDK's own {@code OTEL_*} ones that ark
 * relies on (the SDK reads and checks them, and any other it knows), and the log configuration's.
 */
public final class TelemetryVariables {
    public static final Setting<Optional<String>> OTLP_ENDPOINT = Setting.external("OTEL_EXPORTER_OTLP_ENDPOINT", "URL")
            .means("where spans are sent by OTLP; without it (or `OTEL_TRACES_EXPORTER`) none are sent");
    public static final Setting<Optional<String>> OTLP_TRACES_ENDPOINT =
            Setting.external("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "URL").means("the same, for traces alone");
    public static final Setting<Optional<String>> OTLP_PROTOCOL = Setting.external("OTEL_EXPORTER_OTLP_PROTOCOL",
            "`grpc` or `http/protobuf`").shownDefault("grpc")
            .means("OTLP over gRPC (port 4317) or HTTP (4318)");
    public static final Setting<Optional<String>> SAMPLER = Setting.external("OTEL_TRACES_SAMPLER", "sampler name")
            .means("which runs are traced (the SDK's samplers)");
    public static final Setting<Optional<String>> SAMPLER_ARG = Setting.external("OTEL_TRACES_SAMPLER_ARG", "number")
            .means("the sampler's argument, as a ratio");
    public static final Setting<Optional<String>> SERVICE_NAME = Setting.external("OTEL_SERVICE_NAME", "text")
            .means("the service named in spans (`ark-operator`, `ark-agent`, `ark` unless set)");
    public static final Setting<Optional<String>> SDK_DISABLED = Setting.external("OTEL_SDK_DISABLED",
            "`true` or `false`").shownDefault("false").means("`true`: no tracing whatever else is set");
    public static final Setting<Optional<String>> CAPTURE_CONTENT = Setting.external(Telemetry.CAPTURE_CONTENT,
            "`true` or `false`").shownDefault("false")
            .means("`true`: prompt and output text go into spans (`gen_ai.prompt`, `gen_ai.completion`)");
    public static final Setting<Optional<String>> OTHER_OTEL = Setting.family("OTEL_<name>", "as the SDK says")
            .means("any other variable of the OpenTelemetry SDK's autoconfiguration (exporters, headers, resource)");
    public static final Setting<Optional<String>> LOG_LEVEL = Setting.external("ARK_LOG_LEVEL", "log level")
            .shownDefault("INFO").means("the level of the log");
    public static final Setting<Optional<String>> LOG_FORMAT = Setting.external("ARK_LOG_FORMAT", "`text` or `json`")
            .shownDefault("text").means("`json`: one JSON object per log line, with `trace_id`, `run`, `step`");

    /** What the operator passes on to its agents: OTLP headers left out, they may hold a token. */
    public static final List<Setting<Optional<String>>> PASSED_TO_AGENTS = List.of(OTLP_ENDPOINT, OTLP_TRACES_ENDPOINT,
            OTLP_PROTOCOL, SAMPLER, SAMPLER_ARG, CAPTURE_CONTENT);

    /** Traces and logs, as every process reads them. */
    public static final List<Setting<?>> ALL = List.of(OTLP_ENDPOINT, OTLP_TRACES_ENDPOINT, OTLP_PROTOCOL, SAMPLER,
            SAMPLER_ARG, SERVICE_NAME, SDK_DISABLED, CAPTURE_CONTENT, OTHER_OTEL, LOG_LEVEL, LOG_FORMAT);

    private TelemetryVariables() {
    }
}
