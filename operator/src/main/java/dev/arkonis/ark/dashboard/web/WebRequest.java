package dev.arkonis.ark.dashboard.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the dashboard sees it, free of the server library: method, path, query and form fields,
 * headers (lower-case names), cookies, and whether the browser reached us over TLS.
 */
public record WebRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
        Map<String, String> headers, Map<String, String> cookies, boolean secure) {

    public WebRequest {
        query = Map.copyOf(query);
        form = Map.copyOf(form);
        headers = Map.copyOf(headers);
        cookies = Map.copyOf(cookies);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a form field, or null. */
    public String field(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isGet() {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
