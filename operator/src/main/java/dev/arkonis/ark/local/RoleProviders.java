package dev.arkonis.ark.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.ProviderVariables;
import io.fabric8.kubernetes.api.model.EnvVar;
import dev.arkonis.ark.telemetry.Telemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each role of a local run its provider (the mock for everyone, or each role's own) set up exactly as an agent
 * pod would be, from the same environment variables: the process's, then the role's own literal {@code env} (so a
 * role's {@code AGENT_MOCK_LATENCY_MS} slows its mock), then {@code --mock-latency}. A role that names its own
 * provider keys ({@code apiKeys}) gets none of the process's provider variables: your key goes only to your endpoint.
 */
public final class RoleProviders implements ProviderSource {
    /** The agents' knob for the mock's latency, in milliseconds; also read from a role's env. */
    public static final String MOCK_LATENCY_ENV = ProviderVariables.MOCK_LATENCY_MS.name();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Provider forced;
    private final Map<String, String> environment;
    private final Duration mockLatency;
    private final Telemetry telemetry;

    /** @param forced the provider for every role, or null to use each role's own (or the one its model implies) */
    public RoleProviders(Provider forced, Map<String, String> environment) {
        this(forced, environment, null);
    }

    /** @param mockLatency the mock's latency for every role (--mock-latency), or null for the roles' and env's own */
    public RoleProviders(Provider forced, Map<String, String> environment, Duration mockLatency) {
        this(forced, environment, mockLatency, Telemetry.none());
    }

    /** @param telemetry where the providers' model and tool calls are traced */
    public RoleProviders(Provider forced, Map<String, String> environment, Duration mockLatency, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.forced = forced;
        this.environment = Map.copyOf(environment);
        this.mockLatency = mockLatency;
    }

    @Override
    public LlmProvider forRole(TeamRole role) throws LlmException {
        Provider provider = forced != null ? forced : role.agentSpec().effectiveProvider();
        Map<String, String> env = new HashMap<>(environment);
        if (role.apiKeys() != null) {
            env.keySet().removeAll(AgentEnv.PROVIDER_KEYS);
        }
        env.putAll(literalEnv(role.env()));
        if (mockLatency != null) {
            env.put(MOCK_LATENCY_ENV, String.valueOf(mockLatency.toMillis()));
        }
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
            // a laptop's own tools are on loopback; metadata addresses stay refused
            return LlmSetup.fromEnv(env, telemetry, laptopEgress());
        } catch (LlmException e) {
            throw new LlmException("role " + role.name() + " (" + provider.wireName() + "): " + e.getMessage(), true, e);
        }
    }

    private EgressPolicy laptopEgress() throws LlmException {
        try {
            return EgressPolicy.forLaptop(environment);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
    }

    /** A role's env entries with a literal value; ones from Secrets or ConfigMaps exist only in a cluster. */
    private static Map<String, String> literalEnv(List<EnvVar> env) {
        Map<String, String> values = new HashMap<>();
        if (env != null) {
            for (EnvVar var : env) {
                if (var.getName() != null && var.getValue() != null) {
                    values.put(var.getName(), var.getValue());
                }
            }
        }
        return values;
    }
}
