package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpClientCredentials.AuthMethod;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What {@code ark validate} checks of a role's MCP servers: the rules the CRD holds, and what only an agent would find. */
final class McpServerRules {
    private static final Set<String> THIS_MACHINE = Set.of("localhost", "127.0.0.1", "[::1]");

    /** Problems found; {@code warnings} gets the ones that do not stop the team. */
    static List<Problem> check(List<McpServerSpec> servers, String path, List<Problem> warnings) {
        List<Problem> errors = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            McpServerSpec server = servers.get(i);
            String at = path + "[" + i + "]";
            if (server.name() == null || server.name().isBlank()) {
                errors.add(new Problem(at + ".name", "required"));
            }
            URI url = httpUrl(server.url());
            if (url == null) {
                errors.add(new Problem(at + ".url", "must be an absolute http(s) URL"));
            }
            List<McpHeader> headers = server.headers() == null ? List.of() : server.headers();
            for (int h = 0; h < headers.size(); h++) {
                if (headers.get(h).value() != null == (headers.get(h).secretKeyRef() != null)) {
                    errors.add(new Problem(at + ".headers[" + h + "]", "set exactly one of value and secretKeyRef"));
                }
            }
            if (server.auth() != null) {
                McpClientCredentials client = server.auth().clientCredentials();
                if (client == null) {
                    errors.add(new Problem(at + ".auth.clientCredentials", "required"));
                } else {
                    clientCredentials(client, at + ".auth.clientCredentials", errors, warnings);
                    if (url != null && plainHttpElsewhere(url)) {
                        warnings.add(new Problem(at + ".url", "the server's tokens would cross the network unencrypted: use https"));
                    }
                }
            }
        }
        return errors;
    }

    private static void clientCredentials(McpClientCredentials client, String at, List<Problem> errors, List<Problem> warnings) {
        if (client.clientId() == null || client.clientId().isBlank()) {
            errors.add(new Problem(at + ".clientId", "required"));
        }
        if (client.clientSecretRef() != null == (client.privateKeyRef() != null)) {
            errors.add(new Problem(at, "set exactly one of clientSecretRef and privateKeyRef"));
        }
        secretKey(client.clientSecretRef(), at + ".clientSecretRef", errors);
        secretKey(client.privateKeyRef(), at + ".privateKeyRef", errors);
        AuthMethod method = client.tokenEndpointAuthMethod();
        if (method != null && (method == AuthMethod.PRIVATE_KEY_JWT) != (client.privateKeyRef() != null)) {
            errors.add(new Problem(at + ".tokenEndpointAuthMethod",
                    "private_key_jwt signs with privateKeyRef; client_secret_basic and client_secret_post send clientSecretRef"));
        }
        if (client.authorizationServer() != null) {
            URI issuer = httpUrl(client.authorizationServer());
            if (issuer == null) {
                errors.add(new Problem(at + ".authorizationServer", "must be an absolute http(s) URL (the issuer)"));
            } else if (plainHttpElsewhere(issuer)) {
                errors.add(new Problem(at + ".authorizationServer",
                        "must be https: client credentials go over plain HTTP only to this machine"));
            }
        }
    }

    private static void secretKey(SecretKeySelector ref, String at, List<Problem> errors) {
        if (ref != null && (ref.getName() == null || ref.getName().isBlank() || ref.getKey() == null || ref.getKey().isBlank())) {
            errors.add(new Problem(at, "needs the Secret's name and key"));
        }
    }

    private static URI httpUrl(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean plainHttpElsewhere(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && !THIS_MACHINE.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT));
    }

    private McpServerRules() {
    }
}
