package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;

/**
 * The OAuth client credentials grant (an unattended client: no user, no browser) with a client registered at the
 * MCP server's authorisation server. The secret or private key stays in a Secret of the agent's namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.clientSecretRef) != has(self.privateKeyRef)",
        message = "set exactly one of clientSecretRef and privateKeyRef")
@ValidationRule(value = "!has(self.tokenEndpointAuthMethod) || (self.tokenEndpointAuthMethod == 'private_key_jwt') == has(self.privateKeyRef)",
        message = "private_key_jwt signs with privateKeyRef; client_secret_basic and client_secret_post send clientSecretRef")
public record McpClientCredentials(
        @Required @JsonPropertyDescription("The client's id at the authorisation server.") String clientId,
        @JsonPropertyDescription("The client secret, for client_secret_basic or client_secret_post.")
        SecretKeySelector clientSecretRef,
        @JsonPropertyDescription("A PEM private key (PKCS#8, RSA or EC) whose public key the authorisation server knows, "
                + "for private_key_jwt.")
        SecretKeySelector privateKeyRef,
        @JsonPropertyDescription("Scopes to ask for; when absent, those the server names in its challenge or metadata.")
        List<String> scopes,
        @JsonPropertyDescription("How the client authenticates at the token endpoint; when absent, the first the "
                + "authorisation server supports of private_key_jwt (with privateKeyRef), client_secret_basic, "
                + "client_secret_post.")
        AuthMethod tokenEndpointAuthMethod,
        @Pattern("^https?://.+")
        @JsonPropertyDescription("The issuer the credentials belong to. When set, ark sends them to no other "
                + "authorisation server, whatever the MCP server's metadata names.")
        String authorizationServer) {

    /** Token endpoint client authentication methods (RFC 6749, RFC 7523), by their OAuth names. */
    public enum AuthMethod {
        @JsonProperty("client_secret_basic") CLIENT_SECRET_BASIC,
        @JsonProperty("client_secret_post") CLIENT_SECRET_POST,
        @JsonProperty("private_key_jwt") PRIVATE_KEY_JWT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public McpClientCredentials {
        scopes = scopes == null ? null : List.copyOf(scopes);
    }
}
