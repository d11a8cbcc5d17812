package dev.arkonis.ark.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat completions server (what OPENAI_BASE_URL points to) that answers each request as a script
 * decides from what the request holds: text, or tool calls in OpenAI's wire format. It answers several agents at once,
 * as a real server does, and keeps every request it received.
 */
public final class OpenAiStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to answer: text, or one call of a tool with its arguments. */
    public record Answer(String text, String tool, ObjectNode arguments) {
        public static Answer text(String text) {
            return new Answer(text, null, null);
        }

        public static Answer call(String tool, ObjectNode arguments) {
            return new Answer(null, tool, arguments);
        }
    }

    /** A chat request as the script reads it. */
    public record Request(JsonNode body) {
        public String system() {
            for (JsonNode m : body.path("messages")) {
                if ("system".equals(m.path("role").asText())) {
                    return m.path("content").asText();
                }
            }
            return "";
        }

        public String user() {
            for (JsonNode m : body.path("messages")) {
                if ("user".equals(m.path("role").asText())) {
                    return m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
                }
            }
            return "";
        }

        /** The tools offered, by name, with their JSON Schema parameters. */
        public Optional<JsonNode> tool(String name) {
            for (JsonNode t : body.path("tools")) {
                if (name.equals(t.path("function").path("name").asText())) {
                    return Optional.of(t.path("function"));
                }
            }
            return Optional.empty();
        }

        /** The results of tool calls the conversation already holds, in order. */
        public List<String> toolResults() {
            List<String> results = new ArrayList<>();
            for (JsonNode m : body.path("messages")) {
                if ("tool".equals(m.path("role").asText())) {
                    results.add(m.path("content").asText());
                }
            }
            return results;
        }
    }

    private final HttpServer server;
    private final Function<Request, Answer> script;
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    public OpenAiStandIn(Function<Request, Answer> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** The base URL an OpenAI client is given (OPENAI_BASE_URL). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Request> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String reply;
        int status = 200;
        if (exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
            Request request = new Request(JSON.readTree(body));
            received.add(request);
            reply = completion(request, script.apply(request));
        } else if (exchange.getRequestURI().getPath().contains("/models/")) {
            reply = "{\"id\":\"model\",\"object\":\"model\"}";
        } else {
            status = 404;
            reply = "{\"error\":{\"message\":\"not found\"}}";
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String completion(Request request, Answer answer) {
        ObjectNode doc = JSON.createObjectNode().put("id", "chatcmpl-" + ids.incrementAndGet())
                .put("object", "chat.completion").put("created", 1700000000)
                .put("model", request.body().path("model").asText());
        ObjectNode choice = doc.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (answer.tool() == null) {
            message.put("content", answer.text());
            choice.put("finish_reason", "stop");
        } else {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            calls.addObject().put("id", "call_" + ids.incrementAndGet()).put("type", "function")
                    .putObject("function").put("name", answer.tool()).put("arguments", answer.arguments().toString());
            choice.put("finish_reason", "tool_calls");
        }
        int in = request.body().toString().length() / 4;
        int out = answer.tool() == null ? answer.text().length() / 4 + 1 : 10;
        doc.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
        return doc.toString();
    }

    /** Arguments for a tool call. */
    public static ObjectNode args() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
