package dev.arkonis.ark.llm.mcp.auth;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link OAuthSession} plugged into the MCP SDK's HTTP transports: its request customizer sends the token, its
 * authorisation error handler answers a 401 or 403 by getting the token the server asks for, and the SDK sends the
 * refused request again. Talking to the authorisation server blocks, so that happens off the SDK's I/O threads.
 */
public final class SdkAuthorization implements McpAsyncHttpClientRequestCustomizer,
        McpHttpClientTransportAuthorizationErrorHandler {
    /** 401 then 403 insufficient_scope then once more: MCP asks clients to stop after a few attempts (scope-retry-limit). */
    private static final int MAX_RETRIES = 3;

    private final OAuthSession session;

    public SdkAuthorization(OAuthSession session) {
        this.session = session;
    }

    @Override
    public Publisher<HttpRequest.Builder> customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
            McpTransportContext context) {
        if (!session.renewalDue()) {
            session.token().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
            return Mono.just(builder);
        }
        return Mono.fromCallable(() -> {
            session.token().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
            return builder;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Publisher<Boolean> handle(HttpRequestSnapshot request, HttpResponse.ResponseInfo response,
            McpTransportContext context) {
        return Mono.fromCallable(() -> session.refused(response.statusCode(),
                        Challenge.bearer(response.headers().allValues("WWW-Authenticate")), bearer(request)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public int maxRetries() {
        return MAX_RETRIES;
    }

    private static String bearer(HttpRequestSnapshot request) {
        Optional<String> header = request.headers().firstValue("Authorization");
        return header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7)).orElse(null);
    }
}
