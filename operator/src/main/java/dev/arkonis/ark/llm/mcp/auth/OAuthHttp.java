package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.egress.UrlText;
import dev.arkonis.ark.llm.Causes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/** The few HTTP exchanges of OAuth discovery and token requests: JSON answers of bounded size, no redirects followed. */
final class OAuthHttp {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int MAX_BODY = 1 << 20;

    /** @param json the parsed body, or null when it was empty or not JSON */
    record Response(int status, JsonNode json) {
        boolean ok() {
            return status == 200 && json != null && json.isObject();
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final Consumer<URI> guard;

    /** @param guard refuses (by throwing) a request to where the agent may not go: metadata can point anywhere */
    OAuthHttp(HttpClient http, Duration timeout, Consumer<URI> guard) {
        this.http = http;
        this.timeout = timeout;
        this.guard = guard;
    }

    Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build());
    }

    Response postForm(URI uri, Map<String, String> form, Map<String, String> headers) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(encode(k) + "=" + encode(v)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(request::header);
        return send(request.build());
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Response send(HttpRequest request) {
        try {
            guard.accept(request.uri());
        } catch (RuntimeException refused) {
            throw new McpAuthException(where(request.uri()) + ": " + Causes.describe(refused));
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY);
                return new Response(response.statusCode(), parse(body));
            }
        } catch (IOException e) {
            // the message names the URL without its query (credentials travel in headers and the body)
            throw new McpAuthException(where(request.uri()) + ": " + Causes.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpAuthException(where(request.uri()) + ": interrupted");
        }
    }

    private static String where(URI uri) {
        return UrlText.origin(uri.toString()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
