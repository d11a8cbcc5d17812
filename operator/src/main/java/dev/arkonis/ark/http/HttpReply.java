package dev.arkonis.ark.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an ark server answers: a status, a body of a content type, and any more headers. */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    private static final String TEXT = "text/plain; charset=utf-8";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply text(int status, String text) {
        return new HttpReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply json(int status, byte[] json) {
        return new HttpReply(status, "application/json", json, Map.of());
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
