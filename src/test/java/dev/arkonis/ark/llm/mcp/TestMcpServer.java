package dev.arkonis.ark.llm.mcp;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/** A real MCP server (the official SDK's server side, in an embedded Tomcat) offering an "echo" tool. */
final class TestMcpServer implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final McpSyncServer mcp;
    /** Value of the X-Api-Key header of every HTTP request the server received. */
    final List<String> apiKeyHeaders = new CopyOnWriteArrayList<>();

    private TestMcpServer(HttpServlet transport, McpSyncServer mcp) throws IOException, LifecycleException {
        this.mcp = mcp;
        tomcat.setPort(0);
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Context context = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                String key = req.getHeader("X-Api-Key");
                apiKeyHeaders.add(key == null ? "<none>" : key);
                transport.service(req, resp);
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
