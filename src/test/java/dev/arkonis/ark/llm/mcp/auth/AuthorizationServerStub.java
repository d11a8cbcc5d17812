package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth authorisation server for the client credentials grant, in-process: it publishes its metadata at the RFC
 * 8414 URL, checks the client's secret (basic or post) and issues numbered tokens, recording every token request.
 * The MCP suite's own authorisation servers are used where they cover a rule; this one holds the rest (lifetimes,
 * renewal, refusals) in unit tests.
 */
public final class AuthorizationServerStub implements AutoCloseable {
    public static final String CLIENT_ID = "ark-agents";
    public static final String CLIENT_SECRET = "s3cr3t-client-value-31337";
    /** In every token it issues, so a test can look for tokens in logs. */
    public static final String TOKEN_MARK = "Zq8vTOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A token request as received: its form fields and Authorization header. */
    public record TokenRequest(Map<String, String> form, String authorization) {
    }

    private final HttpServer server;
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final Map<String, List<String>> scopes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long expiresIn = 3600;
    private volatile List<String> authMethods = List.of("client_secret_basic", "client_secret_post");

    public AuthorizationServerStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/oauth-authorization-server", this::metadata);
        server.createContext("/token", this::token);
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Also serves protected resource metadata (at the root well-known URL) for a resource it issues tokens for. */
    public AuthorizationServerStub resourceMetadata(String resource) {
        server.createContext("/.well-known/oauth-protected-resource", exchange -> send(exchange, 200,
                "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\"" + issuer() + "\"]}"));
        return this;
    }

    public AuthorizationServerStub expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    public AuthorizationServerStub authMethods(String... methods) {
        this.authMethods = List.of(methods);
        return this;
    }

    public List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** The n-th token it issues (from 1). */
    public static String token(int n) {
        return "tok-" + n + "-" + TOKEN_MARK;
    }

    /** The scopes token was issued with; null for a token it never issued. */
    public List<String> scopesOf(String token) {
        return scopes.get(token);
    }

    private void metadata(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("issuer", issuer()).put("token_endpoint", issuer() + "/token");
        body.putArray("grant_types_supported").add("client_credentials");
        authMethods.forEach(body.putArray("token_endpoint_auth_methods_supported")::add);
        send(exchange, 200, body.toString());
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        tokenRequests.add(new TokenRequest(form, authorization));
        String secret = authorization != null && authorization.startsWith("Basic ")
                ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8)
                        .replaceFirst("^" + CLIENT_ID + ":", "")
                : form.get("client_secret");
        if (!"client_credentials".equals(form.get("grant_type")) || !CLIENT_SECRET.equals(secret)) {
            send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
            return;
        }
        String token = token(issued.incrementAndGet());
        scopes.put(token, form.containsKey("scope") ? List.of(form.get("scope").split(" ")) : List.of());
        ObjectNode body = JSON.createObjectNode().put("access_token", token)
                .put("token_type", "Bearer").put("expires_in", expiresIn);
        if (form.containsKey("scope")) {
            body.put("scope", form.get("scope"));
        }
        send(exchange, 200, body.toString());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
