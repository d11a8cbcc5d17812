package dev.arkonis.ark.llm.mcp.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP server's OAuth authorisation: it discovers the authorisation server when the MCP server first refuses a
 * request, asks for a token with the client credentials, renews it before it lapses, and again when the server
 * refuses it or asks for more scopes (MCP authorisation spec, "Scope Challenge Handling").
 */
public final class OAuthSession {
    private static final Logger LOG = LoggerFactory.getLogger("mcp");
    private static final Duration RENEWAL_BACKOFF = Duration.ofSeconds(5);

    private final String name;
    private final URI server;
    private final ClientCredentials client;
    private final Discovery discovery;
    private final TokenEndpoint tokens;
    private final Clock clock;

    private ServerMetadata authorizationServer;
    private String discoveredFrom;
    private String resource;
    private List<String> scopesSupported = List.of();
    private List<String> requestedScopes;
    private AccessToken token;
    private Instant nextRenewal = Instant.MIN;

    /**
     * @param name the MCP server's name, for the log
     * @param timeout bound on each discovery and token request
     * @param guard   refuses (by throwing) a discovery or token request to where the agent may not go
     */
    public OAuthSession(String name, URI server, ClientCredentials client, HttpClient http, Duration timeout, Clock clock,
                        java.util.function.Consumer<URI> guard) {
        OAuthHttp oauthHttp = new OAuthHttp(http, timeout, guard);
        this.name = name;
        this.server = server;
        this.client = client;
        this.discovery = new Discovery(oauthHttp);
        this.tokens = new TokenEndpoint(oauthHttp, clock);
        this.clock = clock;
    }

    /** Whether {@link #token()} would ask the authorisation server first (so callers can leave a non-blocking thread). */
    public synchronized boolean renewalDue() {
        Instant now = clock.instant();
        return token != null && token.dueForRenewal(now) && !now.isBefore(nextRenewal);
    }

    /** The token to send now, renewed first when due; empty until the server has asked for one. */
    public synchronized Optional<String> token() {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (token.dueForRenewal(now) && !now.isBefore(nextRenewal)) {
            try {
                token = tokens.request(authorizationServer, client, requestedScopes, resource);
                LOG.debug("{}: renewed the access token (expires {})", name, token.expiresAt());
            } catch (McpAuthException e) {
                nextRenewal = now.plus(RENEWAL_BACKOFF);
                if (token.expired(now)) {
                    throw e;
                }
                LOG.warn("{}: renewing the access token failed, the current one serves until it expires: {}", name,
                        e.getMessage());
            }
        }
        return Optional.of(token.value());
    }

    /** Gets a token before the first request, for a transport that cannot send a refused request again (old SSE). */
    public synchronized void authorizeUpFront() {
        if (token == null) {
            discover(null);
            fetch(initialScopes(Optional.empty()));
        }
    }

    /**
     * The MCP server refused a request (401, or 403 with insufficient_scope): obtains the token it asks for.
     *
     * @param rejected the token the refused request carried, or null
     * @return whether to send the request again
     */
    public synchronized boolean refused(int status, Optional<Challenge> challenge, String rejected) {
        boolean stepUp = challenge.map(Challenge::insufficientScope).orElse(false);
        if (status == 403 && !stepUp) {
            return false;
        }
        if (status == 401 && token != null && !token.value().equals(rejected)) {
            return true; // sent before another request got (or renewed) the token: send it again with this one
        }
        String hinted = challenge.map(Challenge::resourceMetadata).orElse(null);
        if (authorizationServer == null || hinted != null && !hinted.equals(discoveredFrom)) {
            discover(hinted);
        }
        List<String> scopes = requestedScopes == null ? initialScopes(challenge) : requestedScopes;
        if (stepUp) {
            Set<String> more = new LinkedHashSet<>(scopes);
            more.addAll(challenge.get().scopes());
            scopes = new ArrayList<>(more);
        }
        fetch(scopes);
        return true;
    }

    /** MCP "Scope Selection Strategy", with the configured scopes first: challenge, then scopes_supported, else none. */
    private List<String> initialScopes(Optional<Challenge> challenge) {
        if (!client.scopes().isEmpty()) {
            return client.scopes();
        }
        if (challenge.isPresent() && !challenge.get().scopes().isEmpty()) {
            return challenge.get().scopes();
        }
        return scopesSupported;
    }

    private void fetch(List<String> scopes) {
        boolean first = token == null;
        token = tokens.request(authorizationServer, client, scopes, resource);
        requestedScopes = List.copyOf(scopes);
        if (first) {
            LOG.info("{}: authorized by {} as {} (scopes {})", name, authorizationServer.issuer(), client.clientId(),
                    token.scopes().isEmpty() ? "none" : String.join(" ", token.scopes()));
        }
    }

    private void discover(String hinted) {
        Optional<ResourceMetadata> metadata = discovery.resource(server, hinted);
        String pinned = client.authorizationServer();
        String issuer;
        boolean identified = true;
        if (metadata.isPresent()) {
            List<String> named = metadata.get().authorizationServers();
            if (named.isEmpty()) {
                throw new McpAuthException("the protected resource metadata of " + server + " names no authorization server");
            }
            if (pinned != null && named.stream().noneMatch(s -> sameUrl(s, pinned))) {
                throw new McpAuthException("the MCP server names the authorization server(s) " + named
                        + ", not the configured " + pinned + "; the credentials go to no other");
            }
            issuer = pinned != null ? pinned : named.get(0);
            resource = metadata.get().resource();
            scopesSupported = metadata.get().scopesSupported();
        } else {
            // a server of the 2025-03-26 revision: it is its own authorisation server
            issuer = pinned != null ? pinned : Discovery.origin(server).toString();
            identified = pinned != null;
            resource = Discovery.canonical(server);
        }
        String base = issuer;
        authorizationServer = discovery.server(issuer, identified).orElseGet(() ->
                new ServerMetadata(base, Discovery.origin(URI.create(base)) + "/token", null, null, null));
        discoveredFrom = hinted;
    }

    private static boolean sameUrl(String a, String b) {
        return a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
    }
}
