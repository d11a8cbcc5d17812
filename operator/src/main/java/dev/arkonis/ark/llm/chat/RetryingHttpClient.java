package dev.arkonis.ark.llm.chat;

import dev.arkonis.ark.llm.RetryListener;
import dev.arkonis.ark.llm.RetryNotice;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LangChain4j's HTTP client SPI on the JDK client, retrying transient failures at the HTTP level.
 * It exists because LangChain4j's own retry cannot see the Retry-After header of a 429; here the
 * wait honours it (or backs off exponentially), and never runs past the request's deadline. Each retry is announced
 * to a {@link RetryListener}; failures that cannot heal by waiting (DNS, TLS, 4xx but 408/409/425/429, 501, 505)
 * are not retried.
 */
final class RetryingHttpClient implements HttpClient {
    private final java.net.http.HttpClient http;
    private final RetryPolicy policy;
    private final Instant deadline;
    private final Duration attemptTimeout;
    private final Clock clock;
    private final String provider;
    private final RetryListener listener;
    private final GateSession gate;

    RetryingHttpClient(java.net.http.HttpClient http, RetryPolicy policy, Instant deadline, Duration attemptTimeout,
            Clock clock, String provider, RetryListener listener) {
        this(http, policy, deadline, attemptTimeout, clock, provider, listener, null);
    }

    /** @param gate the model's shared rate limit for this task's calls, or null for none */
    RetryingHttpClient(java.net.http.HttpClient http, RetryPolicy policy, Instant deadline, Duration attemptTimeout,
            Clock clock, String provider, RetryListener listener, GateSession gate) {
        this.gate = gate;
        this.http = http;
        this.policy = policy;
        this.deadline = deadline;
        this.attemptTimeout = attemptTimeout;
        this.clock = clock;
        this.provider = provider;
        this.listener = listener;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        String endpoint = CallFailure.endpointOf(request.url());
        RuntimeException lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Duration remaining = remaining();
            if (remaining.isZero() || remaining.isNegative()) {
                throw new DeadlineExceededException("deadline reached before attempt " + attempt, lastFailure);
            }
            Duration wait;
            String failure;
            if (gate != null) {
                gate.beforeAttempt(request.body(), deadline);
                remaining = remaining();
                if (remaining.isZero() || remaining.isNegative()) {
                    throw new DeadlineExceededException("deadline reached before attempt " + attempt, lastFailure);
                }
            }
            try {
                HttpResponse<String> response = http.send(toJdk(request, min(attemptTimeout, remaining)),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status / 100 != 2 && gate != null) {
                    gate.attemptFailed();
                }
                if (status / 100 == 2) {
                    return SuccessfulHttpResponse.builder()
                            .statusCode(status)
                            .headers(response.headers().map())
                            .body(response.body())
                            .build();
                }
                lastFailure = new HttpStatusFailure(status, response.body(), endpoint);
                if (!isTransient(status) || attempt >= policy.maxAttempts()) {
                    throw lastFailure;
                }
                Optional<Duration> asked = retryAfter(response.headers().map());
                if (status == 429 && asked.isPresent() && gate != null) {
                    gate.rateLimited(asked.get());
                }
                wait = asked.orElse(policy.backoff(attempt));
                failure = ProviderErrors.statusWords(status);
            } catch (IOException e) {
                if (gate != null) {
                    gate.attemptFailed();
                }
                CallFailure callFailure = CallFailure.of(e, endpoint);
                lastFailure = callFailure;
                if (!callFailure.mayHeal() || attempt >= policy.maxAttempts()) {
                    throw lastFailure;
                }
                wait = policy.backoff(attempt);
                failure = callFailure.what();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (wait.compareTo(remaining()) >= 0) {
                // Waiting would pass the deadline: fail now with the real cause instead of sleeping in vain.
                throw lastFailure;
            }
            listener.retrying(new RetryNotice(provider, endpoint, failure, attempt + 1, policy.maxAttempts(), wait));
            sleep(wait);
        }
    }

    /** Statuses worth another try: timeouts, conflicts, rate limits and server errors that are not "not implemented". */
    static boolean isTransient(int status) {
        return status == 408 || status == 409 || status == 425 || status == 429
                || (status >= 500 && status != 501 && status != 505);
    }

    /** Retry-After in seconds or as an HTTP date; OpenAI's retry-after-ms when present (it is more precise). */
    Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        Optional<String> millis = header(headers, "retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(millis.get().trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = header(headers, "retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }

    private Duration remaining() {
        return Duration.between(clock.instant(), deadline);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static java.net.http.HttpRequest toJdk(HttpRequest request, Duration timeout) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout);
        request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        String body = request.body();
        java.net.http.HttpRequest.BodyPublisher publisher = body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return builder.method(request.method().name(), publisher).build();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("ark does not stream model answers");
    }
}
