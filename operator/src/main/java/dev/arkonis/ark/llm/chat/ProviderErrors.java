package dev.arkonis.ark.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.LlmException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed provider call into an {@link LlmException} whose message says, in plain words, what failed where
 * and what to fix: never an exception class name, never "null". Messages are built from status codes, endpoints
 * (without query or credentials) and the provider's own error text, never from request headers, so API keys cannot
 * leak into them.
 */
final class ProviderErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_CHARS = 300;
    private static final Pattern HTML_TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern HTML_TAG = Pattern.compile("(?s)<[^>]*>");
    /** How OpenAI (context_length_exceeded), Anthropic (prompt is too long) and Gemini word a prompt too long. */
    private static final Pattern CONTEXT_TOO_LONG = Pattern.compile("(?i)context[ _]length|context window|"
            + "maximum context|prompt is too long|too many tokens|input token count.*exceeds|exceeds the maximum");

    private final String provider;

    ProviderErrors(String provider) {
        this.provider = provider;
    }

    LlmException translate(RuntimeException e, String model) {
        HttpException http = find(e, HttpException.class);
        if (http != null) {
            return fromStatus(http.statusCode(), http.getMessage(), model, endpoint(http));
        }
        DeadlineExceededException deadline = find(e, DeadlineExceededException.class);
        if (deadline != null) {
            Throwable last = deadline.getCause();
            return new LlmException(provider + ": gave up at the step's deadline"
                    + (last == null ? "" : "; last failure: " + lastFailure(last, model)), false);
        }
        if (find(e, GateSession.RateLimitWaitExceeded.class) != null) {
            return new LlmException(provider + ": waiting for the shared rate limit of " + model
                    + " would pass the step's deadline", false);
        }
        CallFailure call = find(e, CallFailure.class);
        if (call != null) {
            return new LlmException(provider + ": " + call.getMessage(), !call.mayHeal());
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            return new LlmException(provider + ": request failed: " + firstMessage(io), false);
        }
        // LangChain4j maps status codes to its own exceptions; use them when the HTTP status is not at hand.
        if (e instanceof AuthenticationException) {
            return fromStatus(401, e.getMessage(), model, null);
        }
        if (e instanceof ModelNotFoundException) {
            return fromStatus(404, e.getMessage(), model, null);
        }
        if (e instanceof InvalidRequestException) {
            return fromStatus(400, e.getMessage(), model, null);
        }
        return new LlmException(provider + ": the call failed: " + firstMessage(e), false);
    }

    LlmException fromStatus(int status, String body, String model, String endpoint) {
        String message = errorMessage(body);
        String from = endpoint == null ? "" : " from " + endpoint;
        if ((status == 400 || status == 413) && CONTEXT_TOO_LONG.matcher(message).find()) {
            return LlmException.contextTooLong(provider + ": the prompt is too long for " + model + "'s context window"
                    + from + suffix(message));
        }
        return switch (status) {
            case 401, 403 -> new LlmException(provider + ": authentication failed (" + status + ")" + from
                    + "; check the API key", true);
            case 404 -> new LlmException(provider + ": model not found: " + model
                    + (message.isEmpty() ? "" : " (" + message + ")") + from, true);
            case 429 -> new LlmException(provider + ": rate limited (429)" + from + suffix(message), false);
            default -> RetryingHttpClient.isTransient(status)
                    ? new LlmException(provider + ": " + statusWords(status) + from + suffix(message), false)
                    : new LlmException(provider + ": request rejected (" + status + ")" + from + suffix(message), true);
        };
    }

    /** What a status means, short: "503 service unavailable". */
    static String statusWords(int status) {
        return status + " " + switch (status) {
            case 408 -> "request timeout";
            case 409 -> "conflict";
            case 425 -> "too early";
            case 429 -> "rate limited";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            case 504 -> "gateway timeout";
            case 529 -> "overloaded";
            default -> status >= 500 ? "server error" : "client error";
        };
    }

    private String lastFailure(Throwable last, String model) {
        if (last instanceof HttpException h) {
            String from = endpoint(h);
            return statusWords(h.statusCode()) + (from == null ? "" : " from " + from) + suffix(errorMessage(h.getMessage()));
        }
        if (last instanceof CallFailure call) {
            return call.getMessage();
        }
        return firstMessage(last);
    }

    private static String endpoint(HttpException http) {
        return http instanceof HttpStatusFailure f ? f.endpoint() : null;
    }

    private static String suffix(String message) {
        return message.isEmpty() ? "" : ": " + message;
    }

    /**
     * The provider's own words: {@code error.message} for OpenAI, Azure and Anthropic (Gemini's in a list), an HTML
     * page's title, else the body.
     */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json.isArray() && json.size() > 0) {
                json = json.get(0); // Gemini's endpoint wraps its error in a list
            }
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
            // plain-text or HTML error body
        }
        String text = body.strip();
        if (text.startsWith("<")) {
            Matcher title = HTML_TITLE.matcher(text);
            text = title.find() ? title.group(1) : HTML_TAG.matcher(text).replaceAll(" ");
        }
        return shorten(text);
    }

    /** One line, bounded: error pages and stack traces must not flood a status field or a terminal. */
    private static String shorten(String s) {
        String flat = s.replaceAll("[\\s\\p{Cc}]+", " ").strip();
        return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    /** The first message along the cause chain that says something, else a neutral phrase: never "null". */
    static String firstMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.equals(String.valueOf(t.getCause()))) {
                return shorten(m);
            }
        }
        return "no details given";
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
