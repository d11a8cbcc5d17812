package dev.arkonis.ark.http;

import dev.arkonis.ark.telemetry.ArkMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process is alive), {@code /readyz} (ready to work, as the caller decides) and
 * {@code /metrics} of the operator and of every agent. {@code /healthz} is answered on the connection's own thread
 * the moment its request line and headers are in, so no other caller can delay a liveness probe; readiness and
 * metrics go to two workers.
 */
public final class HealthServer implements AutoCloseable {
    private static final ServerOptions OPTIONS = ServerOptions.plain(Duration.ofSeconds(10), 0, 2);

    private final ArkHttpServer server;

    private HealthServer(ArkHttpServer server) {
        this.server = server;
    }

    /**
     * @param port  0 picks a free port
     * @param ready asked for each {@code /readyz}, on a worker (it may wait on Redis)
     * @throws IOException when it cannot listen on the port
     */
    public static HealthServer start(int port, BooleanSupplier ready, ArkMetrics metrics, MetricsAccess access)
            throws IOException {
        return new HealthServer(ArkHttpServer.start("ark-health", port, OPTIONS, new Endpoints(ready, metrics, access)));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private record Endpoints(BooleanSupplier ready, ArkMetrics metrics, MetricsAccess access) implements HttpService {
        @Override
        public Optional<HttpReply> atOnce(HttpCall head) {
            return switch (head.path()) {
                case "/healthz" -> Optional.of(HttpReply.text(200, "ok\n"));
                case "/readyz", "/metrics" -> Optional.empty();
                default -> Optional.of(HttpReply.text(404, "not found: /healthz, /readyz, /metrics\n"));
            };
        }

        @Override
        public Optional<HttpReply> screen(HttpCall head) {
            return "/metrics".equals(head.path()) ? access.refusal(head.header("Authorization")) : Optional.empty();
        }

        @Override
        public HttpReply answer(HttpCall call) {
            if ("/readyz".equals(call.path())) {
                return ready.getAsBoolean() ? HttpReply.text(200, "ready\n") : HttpReply.text(503, "not ready\n");
            }
            ArkMetrics.Scrape scrape = metrics.scrape(call.header("Accept"));
            return new HttpReply(200, scrape.contentType(), scrape.body(), Map.of());
        }
    }
}
