package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.api.PromptRef;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.List;

/** One key of a ConfigMap or Secret in the agent's namespace that the agent's pods read (prompt, MCP headers and
 * OAuth clients, own keys). */
record DataRef(Kind kind, String name, String key) {
    enum Kind { CONFIG_MAP, SECRET }

    /**
     * Every ConfigMap/Secret key the spec points at: the prompt ref (the ref wins over the literal), MCP header secrets
     * the secrets or keys of MCP OAuth clients, and the provider variables of the agent's own keys.
     */
    static List<DataRef> of(AgentSpec spec) {
        List<DataRef> refs = new ArrayList<>();
        PromptRef prompt = spec.systemPromptRef();
        if (prompt != null && prompt.configMapKeyRef() != null) {
            refs.add(new DataRef(Kind.CONFIG_MAP, prompt.configMapKeyRef().getName(), prompt.configMapKeyRef().getKey()));
        } else if (prompt != null && prompt.secretKeyRef() != null) {
            refs.add(new DataRef(Kind.SECRET, prompt.secretKeyRef().getName(), prompt.secretKeyRef().getKey()));
        }
        for (McpServerSpec server : spec.mcpServers() == null ? List.<McpServerSpec>of() : spec.mcpServers()) {
            for (McpHeader header : server.headers() == null ? List.<McpHeader>of() : server.headers()) {
                secret(header.secretKeyRef(), refs);
            }
            McpClientCredentials client = server.auth() == null ? null : server.auth().clientCredentials();
            if (client != null) {
                secret(client.clientSecretRef(), refs);
                secret(client.privateKeyRef(), refs);
            }
        }
        if (spec.hasOwnKeys() && spec.apiKeys().secretRef() != null && spec.apiKeys().secretRef().name() != null) {
            AgentEnv.PROVIDER_KEYS.forEach(key -> refs.add(new DataRef(Kind.SECRET, spec.apiKeys().secretRef().name(), key)));
        }
        return refs;
    }

    private static void secret(SecretKeySelector ref, List<DataRef> refs) {
        if (ref != null) {
            refs.add(new DataRef(Kind.SECRET, ref.getName(), ref.getKey()));
        }
    }
}
