package dev.arkonis.ark.llm.mcp.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a client credentials client needs of an authorisation server's metadata (RFC 8414 §2, OpenID Connect
 * Discovery). A list the server leaves out is null: RFC 8414 gives it a default, which is not "none".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ServerMetadata(
        String issuer,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("token_endpoint_auth_methods_supported") List<String> authMethods,
        @JsonProperty("token_endpoint_auth_signing_alg_values_supported") List<String> signingAlgorithms,
        @JsonProperty("grant_types_supported") List<String> grantTypes) {

    /** RFC 8414 §2: client_secret_basic when the server names no methods. */
    boolean supports(String authMethod) {
        return authMethods == null ? "client_secret_basic".equals(authMethod) : authMethods.contains(authMethod);
    }
}
