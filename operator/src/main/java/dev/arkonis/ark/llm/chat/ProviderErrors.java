package dev.arkonis.ark.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.Causes;
import dev.arkonis.ark.llm.LlmException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import java.io.IOException;

/**
 * Turns a failed provider call into an {@link LlmException} whose message says what to fix. Messages
 * are built from status codes and the provider's own error text, never from request headers, so API
 * keys cannot leak into them.
 */
final class ProviderErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 500;

    private final String provider;

    ProviderErrors(String provider) {
        this.provider = provider;
    }

    LlmException translate(RuntimeException e, String model) {
        HttpException http = find(e, HttpException.class);
        if (http != null) {
            return fromStatus(http.statusCode(), http.getMessage(), model);
        }
        DeadlineExceededException deadline = find(e, DeadlineExceededException.class);
        if (deadline != null) {
            Throwable last = deadline.getCause();
            return new LlmException(provider + ": deadline exceeded"
                    + (last == null ? "" : " (last failure: " + describe(last) + ")"), false);
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            return new LlmException(provider + ": request failed: " + describe(io), false);
        }
        // LangChain4j maps status codes to its own exceptions; use them when the HTTP status is not at hand.
        if (e instanceof AuthenticationException) {
            return fromStatus(401, e.getMessage(), model);
        }
        if (e instanceof ModelNotFoundException) {
            return fromStatus(404, e.getMessage(), model);
        }
        if (e instanceof InvalidRequestException) {
            return fromStatus(400, e.getMessage(), model);
        }
        return new LlmException(provider + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), false);
    }

    LlmException fromStatus(int status, String body, String model) {
        String message = errorMessage(body);
        return switch (status) {
            case 401, 403 -> new LlmException(provider + ": authentication failed (" + status + ")", true);
            case 404 -> new LlmException(provider + ": model not found: " + model
                    + (message.isEmpty() ? "" : " (" + message + ")"), true);
            case 429 -> new LlmException(provider + ": rate limited (429)" + suffix(message), false);
            default -> status >= 500 || RetryingHttpClient.isTransient(status)
                    ? new LlmException(provider + ": server error (" + status + ")" + suffix(message), false)
                    : new LlmException(provider + ": " + (message.isEmpty() ? "request rejected (" + status + ")" : message),
                            true);
        };
    }

    private static String suffix(String message) {
        return message.isEmpty() ? "" : ": " + message;
    }

    /** The provider's own words: {@code error.message} for OpenAI and Anthropic, else the body itself. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode error = json.path("error");
            if (error.path("message").isTextual()) {
                return shorten(error.path("message").asText());
            }
            if (error.isTextual()) {
                return shorten(error.asText());
            }
            if (json.path("message").isTextual()) {
                return shorten(json.path("message").asText());
            }
        } catch (IOException | RuntimeException notJson) {
            // plain-text error body
        }
        return shorten(body.strip());
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    static String describe(Throwable e) {
        return e instanceof HttpException h ? "HTTP " + h.statusCode() : Causes.describe(e);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
