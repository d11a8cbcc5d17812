package dev.arkonis.ark.agent;

import dev.arkonis.ark.concurrent.DaemonThreads;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arkonis.ark.telemetry.ArkMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (process alive), {@code /readyz} (Redis reachable, group joined), {@code /metrics}. */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /** @param port 0 picks a free port */
    public static HealthServer start(int port, BooleanSupplier ready, ArkMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n".getBytes(StandardCharsets.UTF_8),
                "text/plain"));
        server.createContext("/readyz", exchange -> {
            boolean isReady = ready.getAsBoolean();
            respond(exchange, isReady ? 200 : 503, (isReady ? "ready\n" : "not ready\n").getBytes(StandardCharsets.UTF_8),
                    "text/plain");
        });
        server.createContext("/metrics", exchange -> {
            ArkMetrics.Scrape scrape = metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"));
            respond(exchange, 200, scrape.body(), scrape.contentType());
        });
        server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("agent-health")));
        server.start();
        return new HealthServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
