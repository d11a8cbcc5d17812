package dev.arkonis.ark.operator.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.TriggerSource;
import dev.arkonis.ark.http.ArkHttpServer;
import dev.arkonis.ark.operator.approval.ApprovalLinkService;
import dev.arkonis.ark.http.BearerTokens;
import dev.arkonis.ark.http.HttpCall;
import dev.arkonis.ark.http.HttpReply;
import dev.arkonis.ark.http.HttpService;
import dev.arkonis.ark.http.ServerOptions;
import dev.arkonis.ark.http.TlsFiles;
import dev.arkonis.ark.operator.EventReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /triggers/<namespace>/<name>/fire} on the operator's webhook port: fires a webhook ArkEvent with the
 * request's JSON body as {@code .trigger.body}. 404 for a path of another shape, 405 not a POST, 401 without the
 * event's bearer token, and the same 401 for an event that does not exist (so names cannot be tried without a token),
 * 429 over the event's rate, 413 over the body limit, 400 a body that is not JSON or input templates that fail on it,
 * 409 refused by concurrencyPolicy Forbid, 503 suspended; 202 with the runs it created. The token is checked before
 * any of the body is read, and never logged. With approval links on, {@code /approvals/<token>} on the same port is
 * theirs ({@link ApprovalLinkService}).
 */
final class WebhookServer implements HttpService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int WORKERS = 4;
    /** Long enough for a body of the limit over a slow link, short enough that held connections go soon. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    // compared against when the event is unknown, so an unknown event costs what a known one does
    private static final String NO_TOKEN = HexFormat.of().formatHex(new byte[32]);

    private final TriggerSettings settings;
    private final EventReconciler events;
    private final EventFiring firing;
    private final FireRateLimiter limiter;
    private final Clock clock;
    private final Optional<ApprovalLinkService> approvals;
    private ArkHttpServer server;

    /** @param approvals what serves approval links ({@code /approvals/...}) on the same port, if they are on */
    WebhookServer(TriggerSettings settings, EventReconciler events, EventFiring firing, Clock clock,
                  Optional<ApprovalLinkService> approvals) {
        this.settings = settings;
        this.events = events;
        this.firing = firing;
        this.limiter = new FireRateLimiter(settings.firesPerMinute(), clock);
        this.clock = clock;
        this.approvals = approvals;
    }

    /** The approval links' service, when the request is one of theirs. */
    private Optional<ApprovalLinkService> approvalsFor(HttpCall head) {
        return approvals.filter(service -> ApprovalLinkService.serves(head.path()));
    }

    synchronized void start() {
        if (!settings.enabled()) {
            LOG.info("ArkEvent webhooks are off (TRIGGER_WEBHOOK_ENABLED)");
            return;
        }
        Optional<TlsFiles> tls;
        try {
            tls = settings.tls().isEmpty() ? Optional.empty()
                    : Optional.of(TlsFiles.load(settings.tls().get().certificate(), settings.tls().get().key()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve ArkEvent webhooks over TLS (TRIGGER_WEBHOOK_TLS_CERT_FILE, "
                    + "TRIGGER_WEBHOOK_TLS_KEY_FILE): " + e.getMessage(), e);
        }
        try {
            server = ArkHttpServer.start("ark-webhook", settings.port(),
                    ServerOptions.plain(REQUEST_TIMEOUT, settings.maxBodyBytes(), WORKERS).withTls(tls), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for ArkEvent webhooks on port " + settings.port()
                    + " (TRIGGER_WEBHOOK_PORT): " + e.getMessage(), e);
        }
        LOG.info("ArkEvent webhooks on port {} ({})", port(), settings.tls().isPresent() ? "HTTPS" : "HTTP");
    }

    /** The port listened on (the one picked when TRIGGER_WEBHOOK_PORT is 0); the configured one before start. */
    synchronized int port() {
        return server == null ? settings.port() : server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The path's shape, the method and whether the operator serves yet: decided without reading any name. */
    @Override
    public Optional<HttpReply> atOnce(HttpCall head) {
        if (approvalsFor(head).isPresent()) {
            return approvalsFor(head).get().atOnce(head);
        }
        if (target(head).isEmpty()) {
            return Optional.of(failure(404, "not found: POST /triggers/<namespace>/<name>/fire"));
        }
        if (!"POST".equals(head.method())) {
            return Optional.of(failure(405, "use POST").withHeader("Allow", "POST"));
        }
        if (!events.started()) {
            return Optional.of(failure(503, "the operator is not serving ArkEvents yet").withHeader("Retry-After", "5"));
        }
        return Optional.empty();
    }

    /** The token, then the rate: an unknown event and a wrong token get the same 401. */
    @Override
    public Optional<HttpReply> screen(HttpCall head) {
        if (approvalsFor(head).isPresent()) {
            return approvalsFor(head).get().screen(head);
        }
        Target target = target(head).orElseThrow();
        Optional<String> expected = webhookEvent(target)
                .flatMap(event -> events.secret(target.namespace(), target.name()))
                .flatMap(TokenSecrets::tokenOf);
        if (!BearerTokens.same(BearerTokens.of(head.header("Authorization")), expected.orElse(NO_TOKEN))
                || expected.isEmpty()) {
            return Optional.of(unauthorized(target));
        }
        Optional<Duration> wait = limiter.acquire(target.namespace() + "/" + target.name());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return Optional.of(failure(429, "more than " + settings.firesPerMinute() + " fires a minute; try again in "
                    + seconds + "s").withHeader("Retry-After", Long.toString(seconds)));
        }
        return Optional.empty();
    }

    @Override
    public HttpReply answer(HttpCall call) {
        if (approvalsFor(call).isPresent()) {
            return approvalsFor(call).get().answer(call);
        }
        Target target = target(call).orElseThrow();
        Optional<ArkEvent> found = webhookEvent(target);
        if (found.isEmpty()) {
            return unauthorized(target);
        }
        ArkEvent event = found.get();
        try {
            return fire(event, target, call);
        } catch (RuntimeException e) {
            LOG.warn("webhook {} failed: {}", call.path(), e.getMessage());
            return failure(500, "could not fire: " + e.getMessage());
        }
    }

    /** Errors in the webhook's own words: a JSON object with {@code error}. */
    @Override
    public HttpReply failure(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return json(status, body);
    }

    private HttpReply fire(ArkEvent event, Target target, HttpCall call) {
        Object body;
        try {
            body = call.body().length == 0 ? Map.of() : JSON.readValue(call.body(), Object.class);
        } catch (JsonProcessingException e) {
            return failure(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (event.getSpec().isSuspended()) {
            firing.locked(event, () -> {
                firing.refuse(event, EventReason.Suspended, "not fired: a webhook request came while the event is suspended",
                        UnaryOperator.identity());
                return null;
            });
            return failure(503, "ArkEvent " + target.namespace() + "/" + target.name() + " is suspended");
        }
        Instant now = clock.instant();
        Map<String, Object> trigger = firing.triggerData(event, now);
        trigger.put("body", body == null ? Map.of() : body);
        String key = Optional.ofNullable(call.header("Idempotency-Key"))
                .filter(k -> !k.isBlank()).map(RunNames::hash).orElseGet(WebhookServer::randomKey);
        FireResult result = firing.locked(event, () -> firing.fireDelivery(event, key, trigger));
        if (result instanceof FireResult.Fired fired) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("fired", !fired.repeated());
            reply.put("firedAt", trigger.get("firedAt"));
            reply.put("trigger", target.name());
            reply.put("targets", fired.runs().size());
            reply.put("runs", fired.runs());
            if (fired.repeated()) {
                reply.put("duplicate", true);
            }
            return json(fired.repeated() ? 200 : 202, reply);
        }
        FireResult.Refused refused = (FireResult.Refused) result;
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("fired", false);
        reply.put("reason", refused.reason().name());
        reply.put("error", refused.message());
        return json(refused.reason() == EventReason.ConcurrencyForbidden ? 409 : 400, reply);
    }

    private Optional<ArkEvent> webhookEvent(Target target) {
        return events.event(target.namespace(), target.name()).filter(e -> e.getSpec() != null
                && e.getSpec().source() != null && e.getSpec().source().type() == TriggerSource.Type.WEBHOOK);
    }

    private HttpReply unauthorized(Target target) {
        return failure(401, "a bearer token is required: Authorization: Bearer <token of Secret "
                + TokenSecrets.nameOf(target.name()) + ">").withHeader("WWW-Authenticate", "Bearer");
    }

    private static HttpReply json(int status, Map<String, Object> body) {
        try {
            return HttpReply.json(status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serializes", e);
        }
    }

    private record Target(String namespace, String name) {
    }

    private static Optional<Target> target(HttpCall call) {
        String[] parts = call.path().split("/");
        if (parts.length != 5 || !parts[0].isEmpty() || !"triggers".equals(parts[1]) || !"fire".equals(parts[4])
                || parts[2].isEmpty() || parts[3].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target(parts[2], parts[3]));
    }

    private static String randomKey() {
        byte[] raw = new byte[5];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
