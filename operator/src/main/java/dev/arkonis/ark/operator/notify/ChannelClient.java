package dev.arkonis.ark.operator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.NotifyChannel;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.EgressRefusedException;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.egress.UrlText;
import dev.arkonis.ark.llm.Causes;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts one message to a channel: Slack's incoming-webhook JSON ({@code {"text": ...}}), or for a plain webhook the
 * event, what it is about and the rendered message. Connections go only where the {@link EgressPolicy} allows;
 * redirects are not followed. Nothing it reports contains the URL, which is a secret, or the channel's answer, which
 * is the channel's: only its status code.
 */
final class ChannelClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;

    ChannelClient(Duration timeout, EgressPolicy egress) {
        this.http = GuardedHttp.client(egress, timeout, timeout, false);
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
        HttpUrl target = HttpUrl.parse(url.strip());
        if (target == null) {
            return new Outcome(false, false, null, "the channel URL in the Secret is not a valid http(s) URL", Optional.empty());
        }
        Request request = new Request.Builder().url(target).post(RequestBody.create(body, JSON_TYPE)).build();
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            if (status / 100 == 2) {
                return new Outcome(true, false, status, null, Optional.empty());
            }
            boolean retryable = status == 429 || status == 408 || status / 100 == 5;
            return new Outcome(false, retryable, status, "the channel answered HTTP " + status,
                    Optional.ofNullable(response.header("Retry-After")).flatMap(ChannelClient::seconds));
        } catch (IOException e) {
            Optional<String> refused = GuardedHttp.refusal(e).map(EgressRefusedException::reason);
            String problem = refused.map(why -> "the channel URL is refused: it leads to " + why)
                    .orElseGet(() -> "could not reach the channel: " + UrlText.scrub(Causes.describe(e), url));
            return new Outcome(false, refused.isEmpty(), null, problem, Optional.empty());
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

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
