package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** How an agent authorises with an MCP server that requires OAuth: the server's authorisation server issues its tokens. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record McpAuth(@Required McpClientCredentials clientCredentials) {
}
