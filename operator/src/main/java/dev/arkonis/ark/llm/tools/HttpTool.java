package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.WebhookTool;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An inline HTTP tool of a role: the model's arguments go to the URL (as a JSON body, or as query
 * parameters for GET) and the response body is the result.
 */
public final class HttpTool implements Tool {
    static final String EMPTY_OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_CHARS = 500;

    private final WebhookTool spec;
    private final HttpClient http;
    private final Duration timeout;

    public HttpTool(WebhookTool spec, HttpClient http, Duration timeout) {
        this.spec = spec;
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public String kind() {
        return "http";
    }

    /** The host only: a URL's path or query may carry a token. */
    @Override
    public String server() {
        try {
            String host = URI.create(spec.url()).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String description() {
        return spec.description() == null ? "" : spec.description();
    }

    @Override
    public String parametersSchema() {
        return spec.inputSchema() == null || spec.inputSchema().isBlank() ? EMPTY_OBJECT_SCHEMA : spec.inputSchema();
    }

    @Override
    public String call(String argumentsJson) throws ToolException {
        HttpRequest request = request(argumentsJson);
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ToolException("HTTP " + spec.effectiveMethod() + " " + spec.url() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new ToolException("HTTP " + response.statusCode() + " from " + spec.url() + ": " + shorten(response.body()));
        }
        return response.body();
    }

    private HttpRequest request(String argumentsJson) throws ToolException {
        HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(timeout);
        WebhookTool.HttpMethod method = spec.effectiveMethod();
        if (method == WebhookTool.HttpMethod.GET) {
            return builder.uri(URI.create(spec.url() + query(spec.url(), argumentsJson))).GET().build();
        }
        return builder.uri(URI.create(spec.url()))
                .header("Content-Type", "application/json")
                .method(method.name(), HttpRequest.BodyPublishers.ofString(argumentsJson, StandardCharsets.UTF_8))
                .build();
    }

    /** The arguments as query parameters: strings as they are, other values as JSON text. */
    static String query(String url, String argumentsJson) throws ToolException {
        JsonNode args;
        try {
            args = JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new ToolException("arguments are not valid JSON: " + e.getOriginalMessage());
        }
        if (args == null || args.isNull() || args.isEmpty()) {
            return "";
        }
        if (!args.isObject()) {
            throw new ToolException("arguments of a GET tool must be a JSON object");
        }
        StringJoiner query = new StringJoiner("&", url.contains("?") ? "&" : "?", "");
        for (Map.Entry<String, JsonNode> e : args.properties()) {
            String value = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            query.add(encode(e.getKey()) + "=" + encode(value));
        }
        return query.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shorten(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_ERROR_BODY_CHARS ? body : body.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }
}
