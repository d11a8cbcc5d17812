package dev.arkonis.ark.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.LlmSetup;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives each role of a local run its provider (the mock for everyone, or each role's own) set up exactly as an agent
 * pod would be, from the same environment variables: with the role's MCP servers and HTTP tools.
 */
public final class RoleProviders implements ProviderSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Provider forced;
    private final Map<String, String> environment;

    /** @param forced the provider for every role, or null to use each role's own (or the one its model implies) */
    public RoleProviders(Provider forced, Map<String, String> environment) {
        this.forced = forced;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public LlmProvider forRole(TeamRole role) throws LlmException {
        Provider provider = forced != null ? forced : role.agentSpec().effectiveProvider();
        Map<String, String> env = new HashMap<>(environment);
        env.put("AGENT_PROVIDER", provider.wireName());
        env.put("AGENT_MODEL", role.model());
        try {
            if (role.mcpServers() != null) {
                env.put("AGENT_MCP_SERVERS", JSON.writeValueAsString(role.mcpServers()));
            }
            if (role.tools() != null) {
                env.put("AGENT_WEBHOOK_TOOLS", JSON.writeValueAsString(role.tools()));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool specs always serialise", e);
        }
        try {
            return LlmSetup.fromEnv(env);
        } catch (LlmException e) {
            throw new LlmException("role " + role.name() + " (" + provider.wireName() + "): " + e.getMessage(), true, e);
        }
    }
}
