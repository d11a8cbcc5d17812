package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.concurrent.DaemonThreads;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.TriggerSource;
import dev.arkonis.ark.operator.EventReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /triggers/<namespace>/<name>/fire} on the operator's webhook port: fires a webhook ArkEvent with the
 * request's JSON body as {@code .trigger.body}. 404 unknown event, 405 not a POST, 401 without its bearer token,
 * 429 over the event's rate, 413 over the body limit, 400 a body that is not JSON or input templates that fail on it,
 * 409 refused by concurrencyPolicy Forbid, 503 suspended; 202 with the runs it created. The token is never logged.
 */
final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TriggerSettings settings;
    private final EventReconciler events;
    private final EventFiring firing;
    private final FireRateLimiter limiter;
    private final Clock clock;
    private HttpServer server;
    private ExecutorService workers;

    WebhookServer(TriggerSettings settings, EventReconciler events, EventFiring firing, Clock clock) {
        this.settings = settings;
        this.events = events;
        this.firing = firing;
        this.limiter = new FireRateLimiter(settings.firesPerMinute(), clock);
        this.clock = clock;
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(settings.port()), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for ArkEvent webhooks on port " + settings.port()
                    + " (TRIGGER_WEBHOOK_PORT): " + e.getMessage(), e);
        }
        workers = Executors.newFixedThreadPool(4, DaemonThreads.named("ark-webhook"));
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("ArkEvent webhooks on port {}", port());
    }

    /** The port listened on (the one picked when TRIGGER_WEBHOOK_PORT is 0); the configured one before start. */
    synchronized int port() {
        return server == null ? settings.port() : server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = answer(exchange);
            } catch (RuntimeException e) {
                LOG.warn("webhook {} failed: {}", exchange.getRequestURI().getPath(), e.getMessage());
                reply = Reply.error(500, "could not fire: " + e.getMessage());
            }
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] body = JSON.writeValueAsBytes(reply.body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        if (parts.length != 5 || !parts[0].isEmpty() || !"triggers".equals(parts[1]) || !"fire".equals(parts[4])) {
            return Reply.error(404, "not found: POST /triggers/<namespace>/<name>/fire");
        }
        String namespace = parts[2];
        String name = parts[3];
        if (!events.started()) {
            return Reply.error(503, "the operator is not serving ArkEvents yet").header("Retry-After", "5");
        }
        Optional<ArkEvent> found = events.event(namespace, name).filter(e -> e.getSpec() != null
                && e.getSpec().source() != null && e.getSpec().source().type() == TriggerSource.Type.WEBHOOK);
        if (found.isEmpty()) {
            return Reply.error(404, "no webhook ArkEvent " + namespace + "/" + name);
        }
        ArkEvent event = found.get();
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Reply.error(405, "use POST").header("Allow", "POST");
        }
        Optional<String> expected = events.secret(namespace, name).flatMap(TokenSecrets::tokenOf);
        if (expected.isEmpty()) {
            return Reply.error(503, "the token Secret " + TokenSecrets.nameOf(name) + " is not ready yet").header("Retry-After", "5");
        }
        if (!sameToken(bearer(exchange), expected.get())) {
            return Reply.error(401, "a bearer token is required: Authorization: Bearer <token of Secret "
                    + TokenSecrets.nameOf(name) + ">").header("WWW-Authenticate", "Bearer");
        }
        Optional<Duration> wait = limiter.acquire(namespace + "/" + name);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return Reply.error(429, "more than " + settings.firesPerMinute() + " fires a minute; try again in "
                    + seconds + "s").header("Retry-After", Long.toString(seconds));
        }
        Optional<byte[]> raw = body(exchange);
        if (raw.isEmpty()) {
            return Reply.error(413, "the body is larger than " + settings.maxBodyBytes() + " bytes");
        }
        Object body;
        try {
            body = raw.get().length == 0 ? Map.of() : JSON.readValue(raw.get(), Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Reply.error(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (event.getSpec().isSuspended()) {
            firing.locked(event, () -> {
                firing.refuse(event, EventReason.Suspended, "not fired: a webhook request came while the event is suspended",
                        UnaryOperator.identity());
                return null;
            });
            return Reply.error(503, "ArkEvent " + namespace + "/" + name + " is suspended");
        }
        Instant now = clock.instant();
        Map<String, Object> trigger = firing.triggerData(event, now);
        trigger.put("body", body == null ? Map.of() : body);
        String key = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Idempotency-Key"))
                .filter(k -> !k.isBlank()).map(RunNames::hash).orElseGet(WebhookServer::randomKey);
        FireResult result = firing.locked(event, () -> firing.fireDelivery(event, key, trigger));
        if (result instanceof FireResult.Fired fired) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("fired", !fired.repeated());
            reply.put("firedAt", trigger.get("firedAt"));
            reply.put("trigger", name);
            reply.put("targets", fired.runs().size());
            reply.put("runs", fired.runs());
            if (fired.repeated()) {
                reply.put("duplicate", true);
            }
            return new Reply(fired.repeated() ? 200 : 202, reply);
        }
        FireResult.Refused refused = (FireResult.Refused) result;
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("fired", false);
        reply.put("reason", refused.reason().name());
        reply.put("error", refused.message());
        return new Reply(refused.reason() == EventReason.ConcurrencyForbidden ? 409 : 400, reply);
    }

    /** The body, or empty when it is over the limit (read no further than one byte past it). */
    private Optional<byte[]> body(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > settings.maxBodyBytes()) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // read it and see
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(settings.maxBodyBytes() + 1);
            return bytes.length > settings.maxBodyBytes() ? Optional.empty() : Optional.of(bytes);
        }
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return header.substring(7).strip();
    }

    /** Compares digests, so the time taken says nothing about how much of the token matched, or its length. */
    private static boolean sameToken(String given, String expected) {
        return !given.isEmpty() && MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String randomKey() {
        byte[] raw = new byte[5];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    private record Reply(int status, Map<String, Object> body, Map<String, String> headers) {
        Reply(int status, Map<String, Object> body) {
            this(status, body, new LinkedHashMap<>());
        }

        static Reply error(int status, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            return new Reply(status, body);
        }

        Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }
}
