package dev.arkonis.ark.llm.mcp.auth;

import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpClientCredentials.AuthMethod;
import java.security.PrivateKey;
import java.util.List;
import java.util.function.Function;

/**
 * The OAuth client of one MCP server as the agent holds it: the spec's settings with the secret or private key read
 * from the variable the operator filled from the Secret. Its string form leaves both out.
 *
 * @param method null to choose from what the authorisation server supports
 * @param authorizationServer the pinned issuer, or null to take the one the MCP server names
 */
public record ClientCredentials(String clientId, String secret, PrivateKey privateKey, List<String> scopes,
        AuthMethod method, String authorizationServer) {

    public ClientCredentials {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /**
     * @param variable the agent's environment
     * @param secretVariable the variable holding the client secret (when the spec has clientSecretRef)
     * @param keyVariable the variable holding the PEM private key (when the spec has privateKeyRef)
     */
    public static ClientCredentials of(McpClientCredentials spec, Function<String, String> variable, String secretVariable,
            String keyVariable) {
        if (spec.clientId() == null || spec.clientId().isBlank()) {
            throw new McpAuthException("auth.clientCredentials.clientId is empty");
        }
        String secret = null;
        PrivateKey key = null;
        if (spec.privateKeyRef() != null) {
            key = PrivateKeys.parse(required(variable, keyVariable, "privateKeyRef"), "the private key (" + keyVariable + ")");
        } else if (spec.clientSecretRef() != null) {
            secret = required(variable, secretVariable, "clientSecretRef");
        } else {
            throw new McpAuthException("auth.clientCredentials needs clientSecretRef or privateKeyRef");
        }
        return new ClientCredentials(spec.clientId(), secret, key, spec.scopes(), spec.tokenEndpointAuthMethod(),
                spec.authorizationServer());
    }

    private static String required(Function<String, String> variable, String name, String field) {
        String value = variable.apply(name);
        if (value == null || value.isBlank()) {
            throw new McpAuthException(name + " (auth.clientCredentials." + field + ") is not set");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", " + (privateKey != null ? "privateKey" : "secret")
                + ", scopes=" + scopes + ", method=" + method + ", authorizationServer=" + authorizationServer + "]";
    }
}
