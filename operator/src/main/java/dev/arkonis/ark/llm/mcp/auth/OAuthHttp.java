package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    OAuthHttp(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
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
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY);
                return new Response(response.statusCode(), parse(body));
            }
        } catch (IOException e) {
            // the message names the URL (never a credential: those travel in headers and the body)
            throw new McpAuthException(request.uri() + ": " + Causes.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpAuthException(request.uri() + ": interrupted");
        }
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
