package dev.arkonis.ark.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arkonis.ark.telemetry.ArkMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (process alive), {@code /readyz} (operator started) and {@code /metrics} on one small JDK server. */
final class HealthServer {
    private static final String TEXT = "text/plain; charset=utf-8";
    private final HttpServer server;

    HealthServer(int port, BooleanSupplier ready, ArkMetrics metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on HEALTH_PORT " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/healthz", ex -> reply(ex, 200, "ok\n".getBytes(StandardCharsets.UTF_8), TEXT));
        server.createContext("/readyz", ex -> {
            boolean ok = ready.getAsBoolean();
            reply(ex, ok ? 200 : 503, (ok ? "ready\n" : "starting\n").getBytes(StandardCharsets.UTF_8), TEXT);
        });
        server.createContext("/metrics", ex -> {
            ArkMetrics.Scrape scrape = metrics.scrape(ex.getRequestHeaders().getFirst("Accept"));
            reply(ex, 200, scrape.body(), scrape.contentType());
        });
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int code, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
