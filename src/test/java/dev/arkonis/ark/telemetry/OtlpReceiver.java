package dev.arkonis.ark.telemetry;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An OTLP trace receiver for tests, over HTTP/protobuf or gRPC: it decodes each {@code ExportTraceServiceRequest}
 * with the published opentelemetry-proto classes and keeps the spans (and the raw bodies, to search for text that
 * must not be there).
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final io.grpc.Server grpcServer;
    private final String protocol;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    private final boolean decode;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    public OtlpReceiver() throws IOException {
        this(true);
    }

    /** A receiver of OTLP over gRPC (the collector's TraceService on HTTP/2 without TLS), as a collector's 4317. */
    public static OtlpReceiver grpc() throws IOException {
        return new OtlpReceiver("grpc");
    }

    private OtlpReceiver(String protocol) throws IOException {
        this.protocol = protocol;
        this.decode = true;
        this.server = null;
        grpcServer = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceImplBase() {
                    @Override
                    public void export(ExportTraceServiceRequest request,
                                       io.grpc.stub.StreamObserver<io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse> reply) {
                        requests.incrementAndGet();
                        bodies.add(request.toByteArray());
                        keep(request);
                        reply.onNext(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance());
                        reply.onCompleted();
                    }
                })
                .build().start();
    }

    /** A receiver that only takes the bytes (benchmarks: its own cost stays out of the process measured). */
    public static OtlpReceiver discarding() throws IOException {
        return new OtlpReceiver(false);
    }

    /** A receiver on a port of the caller's choice (the SDK's default 4318, to see that nothing goes there). */
    public static OtlpReceiver onPort(int port) throws IOException {
        return new OtlpReceiver(true, port);
    }

    private OtlpReceiver(boolean decode) throws IOException {
        this(decode, 0);
    }

    private OtlpReceiver(boolean decode, int port) throws IOException {
        this.protocol = "http/protobuf";
        this.decode = decode;
        this.grpcServer = null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/v1/traces", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.incrementAndGet();
            if (!decode) {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            bodies.add(body);
            keep(ExportTraceServiceRequest.parseFrom(body));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().close();
        });
        server.start();
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> spans.add(new Received(service, span)));
            }
        }
    }

    /** The base URL for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + (grpcServer != null ? grpcServer.getPort() : server.getAddress().getPort());
    }

    /** The value of {@code OTEL_EXPORTER_OTLP_PROTOCOL} this receiver speaks. */
    public String protocol() {
        return protocol;
    }

    /** The variables that send a process's traces here right away. */
    public Map<String, String> env(String service) {
        return Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                "OTEL_SERVICE_NAME", service, "OTEL_BSP_SCHEDULE_DELAY", "100");
    }

    /** Export requests received (decoded or not). */
    public long requests() {
        return requests.get();
    }

    public List<Received> spans() {
        return List.copyOf(spans);
    }

    /** Everything received, as bytes decoded leniently, for searching. */
    public String rawText() {
        return bodies.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        if (grpcServer != null) {
            grpcServer.shutdownNow();
            try {
                grpcServer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            server.stop(0);
        }
    }

    static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (KeyValue kv : list) {
            map.put(kv.getKey(), text(kv.getValue()));
        }
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::text)
                    .collect(Collectors.joining(",", "[", "]"));
            default -> value.toString();
        };
    }

    /** A span as received, with its ids in hex and its attributes as text. */
    public record Received(String service, Span span) {
        public String name() {
            return span.getName();
        }

        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        public Map<String, String> attributes() {
            return OtlpReceiver.attributes(span.getAttributesList());
        }

        public String attribute(String key) {
            return attributes().get(key);
        }

        public boolean failed() {
            return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
        }

        public long startNanos() {
            return span.getStartTimeUnixNano();
        }

        public long endNanos() {
            return span.getEndTimeUnixNano();
        }
    }

    /** The tree below one span: its children by parent id. */
    public static List<Received> children(List<Received> spans, Received parent) {
        List<Received> out = new ArrayList<>();
        for (Received s : spans) {
            if (s.traceId().equals(parent.traceId()) && s.parentId().equals(parent.spanId())) {
                out.add(s);
            }
        }
        return out;
    }

    public static Optional<Received> named(List<Received> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
