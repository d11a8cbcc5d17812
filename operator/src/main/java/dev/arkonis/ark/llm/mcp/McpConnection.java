package dev.arkonis.ark.llm.mcp;

import dev.arkonis.ark.llm.tools.Tool;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.List;

/** A connected MCP server: its tools, its guidance for the system prompt, and the client to close at the end. */
public record McpConnection(String name, List<Tool> tools, String guidance, McpSyncClient client)
        implements AutoCloseable {
    public McpConnection {
        tools = List.copyOf(tools);
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
