package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What a client needs of an MCP server's protected resource metadata (RFC 9728 §2). */
@JsonIgnoreProperties(ignoreUnknown = true)
record ResourceMetadata(
        String resource,
        @JsonProperty("authorization_servers") List<String> authorizationServers,
        @JsonProperty("scopes_supported") List<String> scopesSupported) {

    ResourceMetadata {
        authorizationServers = authorizationServers == null ? List.of() : List.copyOf(authorizationServers);
        scopesSupported = scopesSupported == null ? List.of() : List.copyOf(scopesSupported);
    }
}
