package dev.arkonis.ark.operator.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A local HTTP endpoint standing in for Slack or a webhook: records every POST, answers with the codes it is given.
 * On loopback, so the operator reaches it from the mock tests' JVM and from the harness's operator pod alike.
 */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private volatile int defaultAnswer = 200;

    public record Request(String path, JsonNode body) {
    }

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                int code;
                synchronized (this) {
                    requests.add(new Request(exchange.getRequestURI().getPath(), body));
                    code = answers.isEmpty() ? defaultAnswer : answers.poll();
                }
                byte[] reply = (code == 200 ? "ok" : "no_service").getBytes();
                exchange.sendResponseHeaders(code, reply.length);
                exchange.getResponseBody().write(reply);
            }
        });
        server.start();
    }

    /** The URL of a channel, with a secret-looking path as Slack's. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public synchronized void answer(Integer... codes) {
        answers.addAll(List.of(codes));
    }

    public void answerAlways(int code) {
        defaultAnswer = code;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<JsonNode> bodies() {
        return requests.stream().map(Request::body).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
