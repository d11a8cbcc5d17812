package dev.arkonis.ark.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The OpenTelemetry SDK as the {@code OTEL_*} variables configure it, with ark's defaults where they are silent. */
final class OtelSdk {
    private static final Logger LOG = LoggerFactory.getLogger("telemetry");
    private final OpenTelemetrySdk sdk;

    private OtelSdk(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /** Null when the SDK refuses the configuration (the reason is logged). */
    static OtelSdk start(Map<String, String> env, String serviceName) {
        Map<String, String> properties = properties(env);
        // the SDK reports through java.util.logging (dropped spans, failed exports): into our log, as one format
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults(env, serviceName))
                    .addPropertiesCustomizer(config -> properties)
                    .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(new PinnedIds()))
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
            return new OtelSdk(sdk);
        } catch (RuntimeException e) {
            LOG.warn("tracing is off: the OTEL_* settings were refused: {}", e.getMessage());
            return null;
        }
    }

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    void shutdown() {
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }

    /** Nothing is sent unless asked: traces only to a named endpoint or exporter, metrics and logs never (ark serves /metrics). */
    private static Map<String, String> defaults(Map<String, String> env, String serviceName) {
        Map<String, String> defaults = new HashMap<>();
        boolean endpoint = env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        defaults.put("otel.traces.exporter", endpoint ? "otlp" : "none");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.service.name", serviceName);
        return defaults;
    }

    /** The given environment as SDK properties, so a caller's map (not only the process's) configures the SDK. */
    private static Map<String, String> properties(Map<String, String> env) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }
}
