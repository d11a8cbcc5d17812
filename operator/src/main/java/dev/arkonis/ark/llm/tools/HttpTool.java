package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.WebhookTool;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.egress.UrlText;
import dev.arkonis.ark.llm.Causes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An inline HTTP tool of a role: the model's arguments go to the URL (as a JSON body, or as query parameters for
 * GET) and the response body, up to a bound, is the result. The client is a guarded one ({@link GuardedHttp}), and
 * no error names more of the URL than its scheme, host and port: a tool URL may carry a token.
 */
public final class HttpTool implements Tool {
    static final String EMPTY_OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final int MAX_ERROR_BODY_CHARS = 500;

    private final WebhookTool spec;
    private final OkHttpClient http;
    private final int maxResponseBytes;

    /** @param maxResponseBytes bytes of a response handed to the model; the rest is cut, and not read */
    public HttpTool(WebhookTool spec, OkHttpClient http, int maxResponseBytes) {
        this.spec = spec;
        this.http = http;
        this.maxResponseBytes = maxResponseBytes;
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
        Request request = request(argumentsJson);
        String where = "tool " + spec.name() + " at " + UrlText.origin(spec.url());
        try (Response response = http.newCall(request).execute()) {
            GuardedHttp.Bounded body = GuardedHttp.read(response.body(), maxResponseBytes);
            if (!response.isSuccessful()) {
                throw new ToolException("HTTP " + response.code() + " from " + where + ": "
                        + UrlText.scrub(shorten(body.text()), spec.url()));
            }
            return body.cut() ? body.text() + "\n[ark: the response was cut at " + maxResponseBytes + " bytes]" : body.text();
        } catch (IOException e) {
            String why = GuardedHttp.refusal(e).map(Throwable::getMessage).orElseGet(() -> Causes.describe(e));
            throw new ToolException("HTTP " + spec.effectiveMethod() + " to " + where + " failed: "
                    + UrlText.scrub(why, spec.url()));
        }
    }

    private Request request(String argumentsJson) throws ToolException {
        WebhookTool.HttpMethod method = spec.effectiveMethod();
        String url = method == WebhookTool.HttpMethod.GET ? spec.url() + query(spec.url(), argumentsJson) : spec.url();
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new ToolException("tool " + spec.name() + ": its URL is not an http(s) URL");
        }
        Request.Builder builder = new Request.Builder().url(parsed);
        if (method == WebhookTool.HttpMethod.GET) {
            return builder.get().build();
        }
        return builder.method(method.name(), RequestBody.create(argumentsJson.getBytes(StandardCharsets.UTF_8), JSON_TYPE))
                .header("Content-Type", "application/json").build();
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
        return body.length() <= MAX_ERROR_BODY_CHARS ? body : body.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }
}
