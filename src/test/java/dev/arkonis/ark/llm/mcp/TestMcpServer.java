package dev.arkonis.ark.llm.mcp;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server (the official SDK's server side, in an embedded Tomcat) offering an "echo" tool; optionally an
 * OAuth protected resource, whose {@link Guard} decides each request and which publishes its resource metadata.
 */
final class TestMcpServer implements AutoCloseable {
    /** Decides a request before the MCP transport sees it. */
    interface Guard {
        /** @return null to let the request through, else how to refuse it */
        Refusal check(HttpServletRequest request, String body);
    }

    /** A refusal: 401 or 403 with its WWW-Authenticate challenge. */
    record Refusal(int status, String wwwAuthenticate) {
    }

    /** Where its challenges point; it answers every well-known resource metadata URL with the same document. */
    static final String RESOURCE_METADATA = "/.well-known/oauth-protected-resource/mcp";

    private final Tomcat tomcat = new Tomcat();
    private final McpSyncServer mcp;
    private volatile Guard guard;
    private volatile String resourceMetadata;
    /** Value of the X-Api-Key header of every HTTP request the server received. */
    final List<String> apiKeyHeaders = new CopyOnWriteArrayList<>();
    /** The Authorization header of every MCP request the server received ("<none>" when absent). */
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    private TestMcpServer(HttpServlet transport, McpSyncServer mcp) throws IOException, LifecycleException {
        this.mcp = mcp;
        tomcat.setPort(0);
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Context context = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                if (req.getRequestURI().startsWith("/.well-known/oauth-protected-resource") && resourceMetadata != null) {
                    resp.setContentType("application/json");
                    resp.getWriter().write(resourceMetadata);
                    return;
                }
                String key = req.getHeader("X-Api-Key");
                apiKeyHeaders.add(key == null ? "<none>" : key);
                String authorization = req.getHeader("Authorization");
                authorizations.add(authorization == null ? "<none>" : authorization);
                Guard g = guard;
                if (g == null) {
                    transport.service(req, resp);
                    return;
                }
                byte[] body = req.getInputStream().readAllBytes();
                Refusal refusal = g.check(req, new String(body, StandardCharsets.UTF_8));
                if (refusal != null) {
                    resp.setStatus(refusal.status());
                    resp.setHeader("WWW-Authenticate", refusal.wwwAuthenticate());
                    return;
                }
                transport.service(new BufferedRequest(req, body), resp);
            }
        });
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mcp");
        tomcat.getConnector();
        tomcat.start();
    }

    static TestMcpServer streamable() throws Exception {
        HttpServletStreamableServerTransportProvider transport =
                HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
        return new TestMcpServer(transport, McpServer.sync(transport)
                .serverInfo("test-streamable", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(echo())
                .build());
    }

    static TestMcpServer sse() throws Exception {
        HttpServletSseServerTransportProvider transport = HttpServletSseServerTransportProvider.builder()
                .messageEndpoint("/message").sseEndpoint("/sse").build();
        return new TestMcpServer(transport, McpServer.sync(transport)
                .serverInfo("test-sse", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(echo())
                .build());
    }

    private static SyncToolSpecification echo() {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name("echo")
                .description("Repeats the text")
                .inputSchema(Map.of("type", "object",
                        "properties", Map.of("text", Map.of("type", "string")),
                        "required", List.of("text")))
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    Object text = request.arguments().get("text");
                    boolean fail = "fail".equals(text);
                    return new McpSchema.CallToolResult(
                            List.of(new McpSchema.TextContent(fail ? "echo refused" : "echo: " + text)), fail, null, null);
                })
                .build();
    }

    /** The request with its body read already, for the transport to read again. */
    private static final class BufferedRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }

    /** Makes this server a protected resource: {@code metadata} at {@link #RESOURCE_METADATA}, requests decided by {@code guard}. */
    TestMcpServer protect(String metadata, Guard guard) {
        this.resourceMetadata = metadata;
        this.guard = guard;
        return this;
    }

    /** Adds a tool while clients are connected: the SDK tells them with notifications/tools/list_changed. */
    void addTool(String name, String reply) {
        mcp.addTool(SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description("Added later")
                        .inputSchema(Map.of("type", "object")).build())
                .callHandler((exchange, request) -> new McpSchema.CallToolResult(
                        List.of(new McpSchema.TextContent(reply)), false, null, null))
                .build());
    }

    String url(String path) {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
        mcp.closeGracefully();
        tomcat.stop();
        tomcat.destroy();
    }
}
