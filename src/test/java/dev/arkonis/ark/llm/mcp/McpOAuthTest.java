package dev.arkonis.ark.llm.mcp;

import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.CLIENT_ID;
import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.CLIENT_SECRET;
import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.TOKEN_MARK;
import static dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.token;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.McpAuth;
import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.llm.mcp.TestMcpServer.Refusal;
import dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub;
import dev.arkonis.ark.llm.mcp.auth.AuthorizationServerStub.TokenRequest;
import dev.arkonis.ark.operator.trigger.TestClock;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * An MCP server behind OAuth, as companies run them, reached through the connector an agent uses: the SDK's server
 * as the protected resource, an authorisation server issuing tokens to the role's client credentials. The MCP
 * suite's scenarios ({@link McpConformanceTest}) hold discovery and client authentication against the project's own
 * servers; this holds what they do not test: tokens that lapse, are revoked, or lack a scope.
 */
class McpOAuthTest {
    private static final Map<String, String> ENV = Map.of(AgentEnv.mcpClientSecret(0), CLIENT_SECRET);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final McpConnector connector = new McpConnector(Duration.ofSeconds(30), Duration.ofSeconds(30),
            McpConnectorTest.LOOPBACK_ALLOWED, clock);
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;
    private final List<ch.qos.logback.core.Appender<ILoggingEvent>> console = new java.util.ArrayList<>();
    private java.util.logging.Level julLevel;
    private AuthorizationServerStub issuer;
    private TestMcpServer server;

    @BeforeEach
    void start() throws Exception {
        // as in the agent (OtelSdk): what libraries log through java.util.logging joins the log
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        julLevel = java.util.logging.Logger.getLogger("").getLevel();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.ALL);
        rootLevel = root.getLevel();
        // everything is logged, into this list only: the build's console gets none of it
        root.iteratorForAppenders().forEachRemaining(console::add);
        console.forEach(root::detachAppender);
        root.setLevel(Level.ALL);
        log.start();
        root.addAppender(log);
        issuer = new AuthorizationServerStub();
        server = TestMcpServer.streamable();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        issuer.close();
        root.detachAppender(log);
        root.setLevel(rootLevel);
        console.forEach(root::addAppender);
        java.util.logging.Logger.getLogger("").setLevel(julLevel);
    }

    private String metadata(String resource) {
        return """
                {"resource":"%s","authorization_servers":["%s"],"scopes_supported":["mcp:read","mcp:write"]}"""
                .formatted(resource, issuer.issuer());
    }

    private String challenge(String more) {
        return "Bearer error=\"invalid_token\", resource_metadata=\"" + server.url(TestMcpServer.RESOURCE_METADATA) + "\"" + more;
    }

    /** Lets through a token the authorisation server issued and nobody revoked. */
    private Refusal bearer(HttpServletRequest request, String body) {
        String header = request.getHeader("Authorization");
        String token = header == null ? null : header.substring("Bearer ".length());
        if (token == null || issuer.scopesOf(token) == null || revoked.contains(token)) {
            return new Refusal(401, challenge(""));
        }
        return null;
    }

    private static McpServerSpec spec(String url, McpClientCredentials client) {
        return new McpServerSpec("wiki", url, null, null, new McpAuth(client));
    }

    private static McpClientCredentials secretClient(List<String> scopes, String authorizationServer) {
        return new McpClientCredentials(CLIENT_ID, new SecretKeySelector("secret", "wiki-oauth", false), null, scopes, null,
                authorizationServer);
    }

    private McpConnection connect(McpClientCredentials client) {
        List<McpConnection> connections = connector.connectAll(List.of(spec(server.url("/mcp"), client)), ENV);
        assertThat(connections).as(() -> String.join("\n", messages())).hasSize(1);
        return connections.get(0);
    }

    private List<String> messages() {
        return logged().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A copy taken under the appender's lock: the HTTP servers' threads may still be logging. */
    private List<ILoggingEvent> logged() {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    @Test
    void aServerBehindOAuthIsReachedWithTheRolesClientCredentialsForItsResource() throws Exception {
        server.protect(metadata(server.url("/mcp")), this::bearer);

        try (McpConnection wiki = connect(secretClient(null, null))) {
            assertThat(wiki.tools().get(0).call("{\"text\":\"hi\"}")).isEqualTo("echo: hi");
        }

        assertThat(issuer.tokenRequests()).singleElement().satisfies(request -> {
            assertThat(request.form()).containsEntry("grant_type", "client_credentials")
                    .containsEntry("resource", server.url("/mcp"))
                    .containsEntry("scope", "mcp:read mcp:write") // the resource's scopes_supported: none configured
                    .doesNotContainKeys("client_id", "client_secret");
            assertThat(request.authorization()).startsWith("Basic ");
        });
        // the first request learns the challenge; every later one carries the token
        assertThat(server.authorizations.get(0)).isEqualTo("<none>");
        assertThat(server.authorizations.subList(1, server.authorizations.size())).allMatch(("Bearer " + token(1))::equals);
        assertThat(messages()).contains("wiki: authorized by " + issuer.issuer() + " as ark-agents (scopes mcp:read mcp:write)");
    }

    @Test
    void theSecretGoesInTheBodyWhenTheServerTakesOnlyClientSecretPost() {
        issuer.authMethods("client_secret_post");
        server.protect(metadata(server.url("/mcp")), this::bearer);

        connect(secretClient(List.of("wiki.read"), null)).close();

        TokenRequest request = issuer.tokenRequests().get(0);
        assertThat(request.authorization()).isNull();
        assertThat(request.form()).containsEntry("client_id", CLIENT_ID).containsEntry("client_secret", CLIENT_SECRET)
                .containsEntry("scope", "wiki.read");
    }

    @Test
    void aRevokedTokenIsReplacedWhenTheServerRefusesItAndTheCallGoesThrough() throws Exception {
        server.protect(metadata(server.url("/mcp")), this::bearer);
        try (McpConnection wiki = connect(secretClient(null, null))) {
            revoked.add(token(1));

            assertThat(wiki.tools().get(0).call("{\"text\":\"again\"}")).isEqualTo("echo: again");
        }
        assertThat(issuer.tokenRequests()).hasSize(2);
        assertThat(server.authorizations).contains("Bearer " + token(1), "Bearer " + token(2));
    }

    @Test
    void aTokenIsRenewedBeforeItLapsesNotAfter() throws Exception {
        issuer.expiresIn(100);
        server.protect(metadata(server.url("/mcp")), this::bearer);
        try (McpConnection wiki = connect(secretClient(null, null))) {
            clock.advance(Duration.ofSeconds(85));
            wiki.tools().get(0).call("{\"text\":\"still fresh\"}");
            assertThat(issuer.tokenRequests()).hasSize(1);

            // a tenth of the lifetime before it lapses, the next request asks for a new one first
            clock.advance(Duration.ofSeconds(6));
            int before = server.authorizations.size();
            assertThat(wiki.tools().get(0).call("{\"text\":\"renewed\"}")).isEqualTo("echo: renewed");

            assertThat(issuer.tokenRequests()).hasSize(2);
            assertThat(server.authorizations.subList(before, server.authorizations.size()))
                    .allMatch(("Bearer " + token(2))::equals);
        }
    }

    @Test
    void theScopeOfTheChallengeIsAskedForAndMoreWhenTheServerWantsMore() throws Exception {
        server.protect(metadata(server.url("/mcp")), (request, body) -> {
            Refusal refusal = bearer(request, body);
            if (refusal != null) {
                return new Refusal(401, challenge(", scope=\"mcp:read\""));
            }
            List<String> scopes = issuer.scopesOf(request.getHeader("Authorization").substring(7));
            if (body.contains("\"tools/call\"") && !scopes.contains("mcp:write")) {
                return new Refusal(403, "Bearer error=\"insufficient_scope\", scope=\"mcp:read mcp:write\", "
                        + "resource_metadata=\"" + server.url(TestMcpServer.RESOURCE_METADATA) + "\"");
            }
            return null;
        });

        try (McpConnection wiki = connect(secretClient(null, null))) {
            assertThat(wiki.tools().get(0).call("{\"text\":\"write\"}")).isEqualTo("echo: write");
        }

        assertThat(issuer.tokenRequests()).extracting(r -> r.form().get("scope"))
                .containsExactly("mcp:read", "mcp:read mcp:write");
    }

    @Test
    void aPinnedAuthorizationServerIsTheOnlyOneTheCredentialsGoTo() {
        server.protect(metadata(server.url("/mcp")), this::bearer);

        assertThat(connector.connectAll(List.of(spec(server.url("/mcp"),
                secretClient(null, "https://login.example.com/realms/corp"))), ENV)).isEmpty();

        assertThat(issuer.tokenRequests()).isEmpty();
        assertThat(messages()).contains("failed to connect to wiki: the MCP server names the authorization server(s) ["
                + issuer.issuer() + "], not the configured https://login.example.com/realms/corp; the credentials go to no other");
    }

    @Test
    void theOldSseTransportGetsItsTokenBeforeConnecting() throws Exception {
        try (TestMcpServer sse = TestMcpServer.sse()) {
            sse.protect(metadata(sse.url("")), (request, body) -> {
                String header = request.getHeader("Authorization");
                return header != null && issuer.scopesOf(header.substring(7)) != null ? null : new Refusal(401, "Bearer");
            });
            List<McpConnection> connections = connector.connectAll(List.of(spec(sse.url("/sse"), secretClient(null, null))), ENV);

            assertThat(connections).as(() -> String.join("\n", messages())).hasSize(1);
            assertThat(connections.get(0).tools().get(0).call("{\"text\":\"old\"}")).isEqualTo("echo: old");
            assertThat(sse.authorizations).allMatch(("Bearer " + token(1))::equals);
            connections.get(0).close();
        }
    }

    private static boolean serverSide(String logger) {
        return logger.startsWith("org.apache.") || logger.startsWith("com.sun.net.httpserver")
                || logger.startsWith("io.modelcontextprotocol.server") || logger.startsWith("io.modelcontextprotocol.spec.McpServer")
                || logger.startsWith("io.modelcontextprotocol.spec.McpStreamableServer");
    }

    @Test
    void noSecretAndNoTokenReachesTheLogEvenWhenTheClientIsRefused() throws Exception {
        server.protect(metadata(server.url("/mcp")), this::bearer);
        try (McpConnection wiki = connect(secretClient(null, null))) {
            revoked.add(token(1));
            wiki.tools().get(0).call("{\"text\":\"x\"}");
        }
        Map<String, String> wrong = Map.of(AgentEnv.mcpClientSecret(0), CLIENT_SECRET + "-wrong");
        assertThat(connector.connectAll(List.of(spec(server.url("/mcp"), secretClient(null, null))), wrong)).isEmpty();

        assertThat(messages()).contains("failed to connect to wiki: the authorization server " + issuer.issuer()
                + " refused the token request (client_secret_basic): invalid_client (Client authentication failed)");
        // what the agent logs (its servers here log requests whole at DEBUG: those are not the agent's lines)
        List<ILoggingEvent> agent = logged().stream().filter(event -> !serverSide(event.getLoggerName())).toList();
        assertThat(agent).isNotEmpty().allSatisfy(event -> {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(CLIENT_SECRET).doesNotContain(TOKEN_MARK)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes()));
        });
    }
}
