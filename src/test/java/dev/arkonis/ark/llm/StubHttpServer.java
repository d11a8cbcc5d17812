package dev.arkonis.ark.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP server answering with scripted responses, in order (then with its fallback), and recording every
 * request it received: method, path, every header and the body.
 */
public final class StubHttpServer implements AutoCloseable {
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(String body) {
            return new Reply(200, Map.of("Content-Type", "application/json"), body);
        }

        public static Reply status(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body,
            long nanoTime) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Function<Received, Reply> fallback;

    private final String address;

    public StubHttpServer() throws IOException {
        this("127.0.0.1", request -> Reply.status(500, "{\"error\":{\"message\":\"no scripted reply left\"}}"));
    }

    /** @param fallback the answer to a request when no scripted reply is left */
    public StubHttpServer(Function<Received, Reply> fallback) throws IOException {
        this("127.0.0.1", fallback);
    }

    /** @param address a loopback address to listen on (any of 127.0.0.0/8) */
    public StubHttpServer(String address) throws IOException {
        this(address, request -> Reply.status(500, "{\"error\":{\"message\":\"no scripted reply left\"}}"));
    }

    private StubHttpServer(String address, Function<Received, Reply> fallback) throws IOException {
        this.address = address;
        this.fallback = fallback;
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://" + address + ":" + server.getAddress().getPort();
    }

    public StubHttpServer reply(Reply... next) {
        replies.addAll(List.of(next));
        return this;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The requests that carried this text anywhere: in a header's name or value, the path, the query or the body. */
    public List<Received> carrying(String text) {
        return received.stream().filter(r -> r.path().contains(text) || (r.query() != null && r.query().contains(text))
                || r.body().contains(text) || r.headers().entrySet().stream().anyMatch(h -> h.getKey().contains(text)
                        || h.getValue().stream().anyMatch(v -> v.contains(text)))).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime());
        received.add(request);
        Reply reply = replies.poll();
        if (reply == null) {
            reply = fallback.apply(request);
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
