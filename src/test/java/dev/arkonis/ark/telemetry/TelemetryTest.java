package dev.arkonis.ark.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the OTEL_* variables switch on, and that without them nothing is started. */
class TelemetryTest {
    @Test
    void withoutOtelVariablesNothingTraces() {
        try (Telemetry telemetry = Telemetry.fromEnv(Map.of("PATH", "/bin"), "ark")) {
            assertThat(telemetry.tracing()).isFalse();
            assertThat(telemetry.tracer().spanBuilder("x").startSpan().getSpanContext().isValid()).isFalse();
        }
        try (Telemetry telemetry = Telemetry.fromEnv(Map.of("OTEL_SDK_DISABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"), "ark")) {
            assertThat(telemetry.tracing()).isFalse();
        }
    }

    @Test
    void anEndpointSendsSpansThereAndAServiceNameAloneSendsNothing() throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            Telemetry sending = Telemetry.fromEnv(otlp.env("svc"), "ark");
            sending.tracer().spanBuilder("sent").startSpan().end();
            sending.close();
            assertThat(otlp.spans()).extracting(OtlpReceiver.Received::name).containsExactly("sent");

        }
        // with no endpoint named the SDK exports to nobody, not to its default (localhost:4318 for http/protobuf)
        try (OtlpReceiver defaultPort = OtlpReceiver.onPort(4318)) {
            Telemetry silent = Telemetry.fromEnv(Map.of("OTEL_SERVICE_NAME", "svc", "OTEL_EXPORTER_OTLP_PROTOCOL",
                    "http/protobuf"), "ark");
            silent.tracer().spanBuilder("kept").startSpan().end();
            silent.close();
            assertThat(defaultPort.requests()).isZero();
            // while the same process told to use the default does send there: the check above can fail
            Telemetry told = Telemetry.fromEnv(Map.of("OTEL_SERVICE_NAME", "svc", "OTEL_EXPORTER_OTLP_PROTOCOL",
                    "http/protobuf", "OTEL_TRACES_EXPORTER", "otlp"), "ark");
            told.tracer().spanBuilder("sent").startSpan().end();
            told.close();
            assertThat(defaultPort.requests()).isPositive();
        }
    }

    @Test
    void otlpOverGrpcReachesAGrpcReceiverAndIsTheDefaultProtocol() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.grpc()) {
            Telemetry sending = Telemetry.fromEnv(otlp.env("svc"), "ark");
            assertThat(otlp.env("svc")).containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
            sending.tracer().spanBuilder("sent by grpc").setAttribute("ark.step", "s1").startSpan().end();
            sending.close();
            assertThat(otlp.spans()).singleElement().satisfies(span -> {
                assertThat(span.name()).isEqualTo("sent by grpc");
                assertThat(span.service()).isEqualTo("svc");
                assertThat(span.attribute("ark.step")).isEqualTo("s1");
            });
            // with only an endpoint named, the SDK's default protocol is gRPC (port 4317 of a collector)
            Telemetry byDefault = Telemetry.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                    "OTEL_SERVICE_NAME", "svc"), "ark");
            byDefault.tracer().spanBuilder("default protocol").startSpan().end();
            byDefault.close();
            assertThat(otlp.spans()).extracting(OtlpReceiver.Received::name).contains("default protocol");
        }
    }

    @Test
    void aConfigurationTheSdkRefusesLeavesTracingOff() {
        try (Telemetry telemetry = Telemetry.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon"), "ark")) {
            assertThat(telemetry.tracing()).isFalse();
        }
    }

    @Test
    void contentCaptureIsOffUnlessAsked() {
        assertThat(Telemetry.fromEnv(Map.of(), "ark").capturesContent()).isFalse();
        assertThat(Telemetry.fromEnv(Map.of(Telemetry.CAPTURE_CONTENT, "true"), "ark").capturesContent()).isTrue();
    }
}
