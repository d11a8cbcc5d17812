package dev.arkonis.ark.llm.mcp;

import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.ToolSource;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connected MCP server: its tools as the server last listed them (it announces changes with
 * {@code notifications/tools/list_changed}, and the SDK lists them again), its guidance for the system prompt, and
 * the client to close at the end.
 */
public final class McpConnection implements ToolSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("mcp");

    private final String name;
    private final String guidance;
    private volatile McpSyncClient client;
    private volatile List<Tool> tools = List.of();

    McpConnection(String name, String guidance) {
        this.name = name;
        this.guidance = guidance;
    }

    /** Set once the client is built, before it initialises and so before any tool list arrives. */
    void attach(McpSyncClient client) {
        this.client = client;
    }

    /** Takes the server's tool list: at connect time, and again on each tools/list_changed. */
    void listed(List<McpSchema.Tool> listed, boolean changed) {
        McpSyncClient c = client;
        tools = listed.stream().map(t -> (Tool) new McpTool(name, c, t)).toList();
        if (changed) {
            LOG.info("tools of {} changed ({} tools)", name, tools.size());
        }
    }

    public String name() {
        return name;
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    public String guidance() {
        return guidance;
    }

    @Override
    public void close() {
        McpSyncClient c = client;
        if (c != null) {
            c.closeGracefully();
        }
    }
}
