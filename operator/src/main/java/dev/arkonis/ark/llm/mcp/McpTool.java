package dev.arkonis.ark.llm.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.ToolException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.StringJoiner;

/** A tool of a connected MCP server, called through the official MCP client. */
final class McpTool implements Tool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final McpSyncClient client;
    private final McpSchema.Tool tool;

    McpTool(String server, McpSyncClient client, McpSchema.Tool tool) {
        this.server = server;
        this.client = client;
        this.tool = tool;
    }

    @Override
    public String kind() {
        return "mcp";
    }

    @Override
    public String server() {
        return server;
    }

    @Override
    public String name() {
        return tool.name();
    }

    @Override
    public String description() {
        return tool.description() == null ? "" : tool.description();
    }

    @Override
    public String parametersSchema() {
        try {
            return tool.inputSchema() == null ? "{\"type\":\"object\",\"properties\":{}}"
                    : JSON.writeValueAsString(tool.inputSchema());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema read from JSON always writes back", e);
        }
    }

    @Override
    public String call(String argumentsJson) throws ToolException {
        Map<String, Object> arguments;
        try {
            arguments = JSON.readValue(argumentsJson, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new ToolException("arguments are not a JSON object: " + e.getOriginalMessage());
        }
        McpSchema.CallToolResult result;
        try {
            result = client.callTool(new McpSchema.CallToolRequest(tool.name(), arguments));
        } catch (RuntimeException e) {
            throw new ToolException("MCP server " + server + " failed to run " + tool.name() + ": "
                    + McpConnector.describe(e));
        }
        String text = text(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ToolException(text);
        }
        return text;
    }

    private static String text(McpSchema.CallToolResult result) {
        StringJoiner out = new StringJoiner("\n");
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                out.add(content instanceof McpSchema.TextContent t ? t.text() : "[" + content.type() + " content]");
            }
        }
        if (out.length() == 0 && result.structuredContent() != null) {
            try {
                out.add(JSON.writeValueAsString(result.structuredContent()));
            } catch (JsonProcessingException e) {
                out.add(String.valueOf(result.structuredContent()));
            }
        }
        return out.toString();
    }
}
