package dev.arkonis.ark.operator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.NotifyChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Posts one message to a channel: Slack's incoming-webhook JSON ({@code {"text": ...}}), or for a plain webhook the
 * event, what it is about and the rendered message. Nothing it reports contains the URL, which is a secret.
 */
final class ChannelClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    ChannelClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What came of one try. */
    record Outcome(boolean delivered, boolean retryable, Integer httpStatus, String problem, Optional<Duration> retryAfter) {
    }

    Outcome send(NotifyChannel.Type type, String url, String notify, Notice notice, String message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload(type, notify, notice, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.strip())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return new Outcome(false, false, null, "the channel URL in the Secret is not a valid http(s) URL", Optional.empty());
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return new Outcome(true, false, status, null, Optional.empty());
            }
            boolean retryable = status == 429 || status == 408 || status / 100 == 5;
            String text = response.body() == null ? "" : response.body().strip();
            return new Outcome(false, retryable, status, "the channel answered HTTP " + status
                    + (text.isEmpty() ? "" : ": " + redact(text.length() > 200 ? text.substring(0, 200) + "…" : text, url)),
                    response.headers().firstValue("Retry-After").flatMap(ChannelClient::seconds));
        } catch (IOException e) {
            return new Outcome(false, true, null, "could not reach the channel: " + redact(describe(e), url), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, false, null, "interrupted while sending", Optional.empty());
        }
    }

    private static Map<String, Object> payload(NotifyChannel.Type type, String notify, Notice notice, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (type == NotifyChannel.Type.SLACK) {
            payload.put("text", message);
            return payload;
        }
        payload.put("event", notice.type().name());
        payload.put("namespace", notice.namespace());
        payload.put("team", notice.team());
        payload.put("subject", notice.subject());
        payload.put("message", message);
        payload.put("notify", notify);
        Object event = notice.data().get("event");
        if (event instanceof Map<?, ?> e) {
            payload.put("time", e.get("time"));
        }
        return payload;
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? name : name + ": " + e.getMessage();
    }

    /** The URL (and its path, the secret part of a Slack URL) never leaves this class, even inside an error. */
    static String redact(String text, String url) {
        String result = text.replace(url.strip(), "<channel URL>");
        try {
            String path = URI.create(url.strip()).getRawPath();
            if (path != null && path.length() > 1) {
                result = result.replace(path, "<channel URL path>");
            }
        } catch (IllegalArgumentException e) {
            // not a URI: the whole text was replaced above if present
        }
        return result;
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
