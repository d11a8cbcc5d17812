package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** An MCP server whose tools a role may call. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record McpServerSpec(@Required String name, @Required String url, List<McpHeader> headers, String guidance,
        McpAuth auth) {

    public McpServerSpec(String name, String url, List<McpHeader> headers, String guidance) {
        this(name, url, headers, guidance, null);
    }
}
