package dev.arkonis.ark.dashboard.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the dashboard answers: a status, headers, cookies to set and a body; or, for live pages, a stream of
 * Server-Sent Events that {@code stream} feeds until it closes the sink.
 */
public record WebReply(int status, Map<String, String> headers, List<String> setCookies, byte[] body,
        Consumer<EventSink> stream) {

    public WebReply {
        headers = Map.copyOf(headers);
        setCookies = List.copyOf(setCookies);
    }

    public static WebReply html(int status, String html) {
        return new WebReply(status, Map.of("Content-Type", "text/html; charset=utf-8"), List.of(),
                html.getBytes(StandardCharsets.UTF_8), null);
    }

    public static WebReply text(int status, String text) {
        return new WebReply(status, Map.of("Content-Type", "text/plain; charset=utf-8"), List.of(),
                text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** After a form: the browser fetches {@code location} with GET (post, redirect, get). */
    public static WebReply redirect(String location) {
        return new WebReply(303, Map.of("Location", location), List.of(), new byte[0], null);
    }

    public static WebReply events(Consumer<EventSink> stream) {
        return new WebReply(200, Map.of("Content-Type", "text/event-stream; charset=utf-8", "X-Accel-Buffering", "no"),
                List.of(), new byte[0], stream);
    }

    public WebReply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new WebReply(status, all, setCookies, body, stream);
    }

    public WebReply withCookie(String setCookie) {
        List<String> all = new java.util.ArrayList<>(setCookies);
        all.add(setCookie);
        return new WebReply(status, headers, all, body, stream);
    }
}
