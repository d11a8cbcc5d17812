package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.llm.chat.AnthropicApi;
import dev.arkonis.ark.llm.chat.ChatApi;
import dev.arkonis.ark.llm.chat.ChatProvider;
import dev.arkonis.ark.llm.chat.ChatSettings;
import dev.arkonis.ark.llm.chat.OpenAiApi;
import dev.arkonis.ark.llm.mcp.McpConnection;
import dev.arkonis.ark.llm.mcp.McpConnector;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.llm.tools.HttpTools;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.Toolbox;
import dev.arkonis.ark.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds the provider (with its MCP and HTTP tools) an agent uses, from the agent's environment.
 *
 * <p>Reads {@code AGENT_PROVIDER} (else detected from {@code AGENT_MODEL}), {@code AGENT_MODEL},
 * {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL},
 * {@code AGENT_MCP_SERVERS}, {@code AGENT_WEBHOOK_TOOLS}, and optionally {@code AGENT_MOCK_LATENCY_MS},
 * {@code AGENT_MCP_CONNECT_TIMEOUT_SECONDS} (10), {@code AGENT_TOOL_TIMEOUT_SECONDS} (60),
 * {@code AGENT_TOOL_MAX_RESPONSE_BYTES} (256 KiB), {@code AGENT_MAX_TOOL_TURNS} (10). Tools reach only what the
 * {@link EgressPolicy} allows. It does not call {@link LlmProvider#verify()}; the agent does at start-up.
 */
public final class LlmSetup {
    /** Sent to OpenAI-compatible servers that need no key (Ollama), which still expect the header. */
    static final String NO_KEY_PLACEHOLDER = "not-needed";

    private LlmSetup() {
    }

    public static LlmProvider fromEnv(Map<String, String> env) throws LlmException {
        return fromEnv(env, Telemetry.none());
    }

    /** As an agent pod: tools guarded by the cluster's egress policy, read from the same environment. */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry) throws LlmException {
        EgressPolicy egress;
        try {
            egress = EgressPolicy.forCluster(env);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
        return fromEnv(env, telemetry, egress);
    }

    /** The provider whose model and tool calls become spans (and metrics) of {@code telemetry}. */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry, EgressPolicy egress)
            throws LlmException {
        String model = blankToNull(env.get("AGENT_MODEL"));
        Provider provider = provider(env, model);
        int maxToolTurns = (int) number(env, "AGENT_MAX_TOOL_TURNS", 10);
        if (provider == Provider.MOCK) {
            // the mock gets the same tools as a real provider, so tool wiring can be tried without keys
            return new MockProvider(Duration.ofMillis(number(env, "AGENT_MOCK_LATENCY_MS", 0)), toolbox(env, telemetry, egress),
                    maxToolTurns, telemetry);
        }
        if (model == null) {
            throw new LlmException("AGENT_MODEL not set", true);
        }
        ChatApi api = api(provider, env);
        ChatSettings settings = ChatSettings.DEFAULT.withMaxToolTurns(maxToolTurns).withTemperature(temperature(env));
        return new ChatProvider(api, model, toolbox(env, telemetry, egress), settings, telemetry);
    }

    /** AGENT_TEMPERATURE (from ArkSettings): a number from 0 to 1, or absent for the model's default. */
    private static Double temperature(Map<String, String> env) throws LlmException {
        try {
            return new Settings(env).get(ModelSettings.TEMPERATURE).orElse(null);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
    }

    private static Provider provider(Map<String, String> env, String model) throws LlmException {
        String name = blankToNull(env.get("AGENT_PROVIDER"));
        if (name == null || "auto".equalsIgnoreCase(name)) {
            return Provider.detect(model);
        }
        try {
            return Provider.of(name.trim());
        } catch (IllegalArgumentException e) {
            throw new LlmException("AGENT_PROVIDER: " + e.getMessage(), true);
        }
    }

    private static ChatApi api(Provider provider, Map<String, String> env) throws LlmException {
        if (provider == Provider.ANTHROPIC) {
            String key = blankToNull(env.get(AgentEnv.ANTHROPIC_API_KEY));
            if (key == null) {
                throw new LlmException("ANTHROPIC_API_KEY not set", true);
            }
            return new AnthropicApi(blankToNull(env.get(AgentEnv.ANTHROPIC_BASE_URL)), key);
        }
        String key = blankToNull(env.get(AgentEnv.OPENAI_API_KEY));
        String baseUrl = blankToNull(env.get(AgentEnv.OPENAI_BASE_URL));
        if (key == null && baseUrl == null) {
            throw new LlmException("OPENAI_API_KEY not set", true);
        }
        return new OpenAiApi(baseUrl, key == null ? NO_KEY_PLACEHOLDER : key);
    }

    /** HTTP tools and the tools of every MCP server that answers; unreachable servers are logged and skipped. */
    static Toolbox toolbox(Map<String, String> env, Telemetry telemetry, EgressPolicy egress) throws LlmException {
        Settings settings = new Settings(env);
        Duration toolTimeout = Duration.ofSeconds(number(settings, ProviderVariables.TOOL_TIMEOUT_SECONDS));
        String webhookTools = blankToNull(env.get(ProviderVariables.WEBHOOK_TOOLS.name()));
        List<Tool> tools = new ArrayList<>(webhookTools == null ? List.of() : HttpTools.parse(webhookTools,
                GuardedHttp.client(egress, Duration.ofSeconds(10), toolTimeout, true),
                (int) Math.min(Integer.MAX_VALUE, number(settings, ProviderVariables.TOOL_MAX_RESPONSE_BYTES))));
        McpConnector connector = new McpConnector(
                Duration.ofSeconds(number(settings, ProviderVariables.MCP_CONNECT_TIMEOUT_SECONDS)), toolTimeout, egress);
        List<McpConnection> connections = connector.connectAll(
                McpConnector.parse(env.get(ProviderVariables.MCP_SERVERS.name())), env);
        StringJoiner guidance = new StringJoiner("\n\n");
        for (McpConnection c : connections) {
            if (c.guidance() != null && !c.guidance().isBlank()) {
                guidance.add("Tools of " + c.name() + ": " + c.guidance().strip());
            }
        }
        return new Toolbox(tools, connections, guidance.toString(), new ArrayList<AutoCloseable>(connections), telemetry);
    }

    private static long number(Map<String, String> env, String name, long fallback) throws LlmException {
        try {
            return new Settings(env).whole(name, fallback, 0);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static long number(Settings settings, Setting<Long> setting) throws LlmException {
        try {
            return settings.get(setting);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
    }
}
