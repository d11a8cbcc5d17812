package dev.arkonis.ark.llm.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.EgressRefusedException;
import dev.arkonis.ark.concurrent.DaemonThreads;
import dev.arkonis.ark.llm.Causes;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.mcp.auth.ClientCredentials;
import dev.arkonis.ark.llm.mcp.auth.OAuthSession;
import dev.arkonis.ark.llm.mcp.auth.SdkAuthorization;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects an agent to its MCP servers (streamable HTTP, or SSE when the URL path ends in {@code /sse}), sending the
 * configured headers and, for a server behind OAuth, the tokens its authorisation server issues to the role's client
 * credentials. A server that cannot be reached is logged and left out, so the agent starts with the tools it can get. Every request (the SSE
 * transport's message endpoint and the OAuth requests included) is checked against the {@link EgressPolicy} on the
 * addresses its host resolves to, redirects are not followed, and responses are bounded.
 */
public final class McpConnector {
    private static final Logger LOG = LoggerFactory.getLogger("mcp");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final McpSchema.Implementation CLIENT_INFO = new McpSchema.Implementation("ark", "0.1.0");

    /** The largest response of a server read (a tool list, a tool's result). */
    static final int MAX_RESPONSE_BYTES = 4 << 20;

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final EgressPolicy egress;
    private final Clock clock;

    /**
     * @param connectTimeout bound on connecting and initialising one server (and on each OAuth request)
     * @param requestTimeout bound on one request (tool listing, tool call)
     * @param egress         where the servers may be
     */
    public McpConnector(Duration connectTimeout, Duration requestTimeout, EgressPolicy egress) {
        this(connectTimeout, requestTimeout, egress, Clock.systemUTC());
    }

    McpConnector(Duration connectTimeout, Duration requestTimeout, EgressPolicy egress, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.egress = egress;
        this.clock = clock;
    }

    /** Reads {@code AGENT_MCP_SERVERS}: a JSON array of {@link McpServerSpec}. */
    public static List<McpServerSpec> parse(String json) throws LlmException {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<McpServerSpec>>() { });
        } catch (JsonProcessingException e) {
            throw new LlmException("AGENT_MCP_SERVERS is not a JSON array of MCP servers: " + e.getOriginalMessage(), true);
        }
    }

    /**
     * Connects to every server at once; the result holds the servers that answered, in the given order.
     *
     * @param env the agent's environment: server number {@code i}'s OAuth secret or key is in
     *            {@link AgentEnv#mcpClientSecret(int)} or {@link AgentEnv#mcpPrivateKey(int)}
     */
    public List<McpConnection> connectAll(List<McpServerSpec> servers, Map<String, String> env) {
        if (servers.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(servers.size(), 8), DaemonThreads.named("mcp-connect"));
        try {
            List<CompletableFuture<Optional<McpConnection>>> pending = IntStream.range(0, servers.size())
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> connect(servers.get(i), i, env::get), pool))
                    .toList();
            return pending.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
        } finally {
            pool.shutdown();
        }
    }

    /** @param index the server's place in the role's list, which names the variables holding its secrets */
    private Optional<McpConnection> connect(McpServerSpec spec, int index, Function<String, String> env) {
        McpConnection connection = new McpConnection(spec.name(), spec.guidance());
        McpSyncClient client = null;
        try {
            Optional<OAuthSession> oauth = oauth(spec, index, env);
            client = McpClient.sync(new DecliningTransport(transport(spec, oauth), spec.name()))
                    .clientInfo(CLIENT_INFO)
                    .initializationTimeout(connectTimeout)
                    .requestTimeout(requestTimeout)
                    .toolsChangeConsumer(tools -> connection.listed(tools, true))
                    .build();
            connection.attach(client);
            McpSchema.InitializeResult init = client.initialize();
            // a server without tools is no error: it has nothing for the agent, yet
            boolean offersTools = init.capabilities() != null && init.capabilities().tools() != null;
            connection.listed(offersTools ? client.listTools().tools() : List.of(), false);
            LOG.info("connected to {} ({} tools)", spec.name(), connection.tools().size());
            return Optional.of(connection);
        } catch (RuntimeException e) {
            LOG.warn("failed to connect to {}: {}", spec.name(), describe(e));
            if (client != null) {
                client.close();
            }
            return Optional.empty();
        }
    }

    private Optional<OAuthSession> oauth(McpServerSpec spec, int index, Function<String, String> env) {
        if (spec.auth() == null || spec.auth().clientCredentials() == null) {
            return Optional.empty();
        }
        ClientCredentials credentials = ClientCredentials.of(spec.auth().clientCredentials(), env,
                AgentEnv.mcpClientSecret(index), AgentEnv.mcpPrivateKey(index));
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        return Optional.of(new OAuthSession(spec.name(), URI.create(spec.url()), credentials, http, connectTimeout, clock,
                this::checkHost));
    }

    private McpClientTransport transport(McpServerSpec spec, Optional<OAuthSession> oauth) {
        URI uri = URI.create(spec.url());
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("url " + spec.url() + " is not an absolute http(s) URL");
        }
        // at once, in plain words; the SSE transport would only time out on a refusal inside its stream
        checkHost(uri);
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String endpoint = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        McpSyncHttpClientRequestCustomizer headers = guarded(headers(spec));
        if (path.endsWith("/sse")) {
            // the old SSE transport cannot send a refused request again: get the token first
            oauth.ifPresent(OAuthSession::authorizeUpFront);
            HttpClientSseClientTransport.Builder sse = HttpClientSseClientTransport.builder(base)
                    .sseEndpoint(endpoint)
                    .connectTimeout(connectTimeout)
                    .addHttpRequestCustomizer(headers)
                    .maxResponseSize(MAX_RESPONSE_BYTES);
            oauth.ifPresent(session -> sse.addAsyncHttpRequestCustomizer(new SdkAuthorization(session)));
            return sse.build();
        }
        HttpClientStreamableHttpTransport.Builder streamable = HttpClientStreamableHttpTransport.builder(base)
                .clientBuilder(ResumingHttpClient.resumingBuilder())
                .endpoint(path.isEmpty() || "/".equals(path) ? "/mcp" : endpoint)
                .connectTimeout(connectTimeout)
                .addHttpRequestCustomizer(headers)
                .maxResponseSize(MAX_RESPONSE_BYTES);
        oauth.ifPresent(session -> {
            SdkAuthorization authorization = new SdkAuthorization(session);
            streamable.addAsyncHttpRequestCustomizer(authorization).authorizationErrorHandler(authorization);
        });
        return streamable.build();
    }

    /**
     * The JDK client the SDK uses resolves the host again when it connects; the JVM's address cache (30 s) makes it
     * see the answer checked here, but not by construction as the HTTP tools' sockets do.
     */
    private McpSyncHttpClientRequestCustomizer guarded(McpSyncHttpClientRequestCustomizer then) {
        return (builder, method, uri, body, context) -> {
            checkHost(uri);
            then.customize(builder, method, uri, body, context);
        };
    }

    private void checkHost(URI uri) {
        try {
            egress.checkResolved(uri.getHost() == null ? "" : uri.getHost());
        } catch (EgressRefusedException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static McpSyncHttpClientRequestCustomizer headers(McpServerSpec spec) {
        List<McpHeader> headers = new ArrayList<>();
        for (McpHeader header : spec.headers() == null ? List.<McpHeader>of() : spec.headers()) {
            if (header.value() == null) {
                // Values from Secrets reach the pod already resolved; a missing one is a wiring problem, not fatal.
                LOG.warn("header {} of {} has no value and is not sent", header.name(), spec.name());
            } else {
                headers.add(header);
            }
        }
        return (builder, method, uri, body, context) -> headers.forEach(h -> builder.setHeader(h.name(), h.value()));
    }

    static String describe(Throwable e) {
        return Causes.describe(e);
    }
}
