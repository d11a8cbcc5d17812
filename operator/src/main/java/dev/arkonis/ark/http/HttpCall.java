package dev.arkonis.ark.http;

import java.util.Locale;
import java.util.Map;

/**
 * One request to an ark server: its method, its path (decoded, without the query), its headers (names in lower case,
 * the first value of each) and its body (empty until it has been read).
 */
public record HttpCall(String method, String path, Map<String, String> headers, byte[] body) {
    public HttpCall {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    HttpCall withBody(byte[] value) {
        return new HttpCall(method, path, headers, value);
    }
}
