package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.Provider;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.egress.GuardedHttp;
import dev.arkonis.ark.llm.chat.AnthropicApi;
import dev.arkonis.ark.llm.chat.AzureOpenAiApi;
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
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.models.ModelCatalog;
import dev.arkonis.ark.llm.models.ModelProfile;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.HashMap;
import org.slf4j.LoggerFactory;
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
 * {@code AZURE_OPENAI_API_KEY}, {@code AZURE_OPENAI_ENDPOINT}, {@code AZURE_OPENAI_API_VERSION}, {@code GEMINI_API_KEY},
 * {@code GEMINI_BASE_URL},
 * {@code AGENT_MCP_SERVERS}, {@code AGENT_WEBHOOK_TOOLS}, and optionally {@code AGENT_MOCK_LATENCY_MS},
 * {@code AGENT_MCP_CONNECT_TIMEOUT_SECONDS} (10), {@code AGENT_TOOL_TIMEOUT_SECONDS} (60),
 * {@code AGENT_TOOL_MAX_RESPONSE_BYTES} (256 KiB), {@code AGENT_MAX_TOOL_TURNS} (10). Tools reach only what the
 * {@link EgressPolicy} allows. It does not call {@link LlmProvider#verify()}; the agent does at start-up.
 */
public final class LlmSetup {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sent to OpenAI-compatible servers that need no key (Ollama), which still expect the header. */
    static final String NO_KEY_PLACEHOLDER = "not-needed";

    private LlmSetup() {
    }

    public static LlmProvider fromEnv(Map<String, String> env) throws LlmException {
        return fromEnv(env, Telemetry.none());
    }

    /** As an agent pod: tools guarded by the cluster's egress policy, read from the same environment. */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry) throws LlmException {
        return fromEnv(env, telemetry, ModelGuards.NONE);
    }

    /** As an agent pod whose models ask {@code guards} for their shared rate limits and circuits. */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry, ModelGuards guards)
            throws LlmException {
        EgressPolicy egress;
        try {
            egress = EgressPolicy.forCluster(env);
        } catch (InvalidSettingException e) {
            throw new LlmException(e.getMessage(), true);
        }
        return fromEnv(env, telemetry, egress, guards);
    }

    /** The provider whose model and tool calls become spans (and metrics) of {@code telemetry}. */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry, EgressPolicy egress)
            throws LlmException {
        return fromEnv(env, telemetry, egress, ModelGuards.NONE);
    }

    /**
     * The role's chain of models ({@code AGENT_MODELS}, else {@code AGENT_MODEL} alone, priced from the table of
     * well-known models), each asking {@code guards} for its shared rate limit and circuit; tools reach only what
     * {@code egress} allows.
     */
    public static LlmProvider fromEnv(Map<String, String> env, Telemetry telemetry, EgressPolicy egress,
                                      ModelGuards guards)
            throws LlmException {
        Settings variables = new Settings(env);
        String model = blankToNull(env.get(AgentEnv.MODEL));
        Provider provider = provider(env, model);
        int maxToolTurns = (int) Math.min(Integer.MAX_VALUE, number(variables, ProviderVariables.MAX_TOOL_TURNS));
        List<ModelProfile> chain = chain(env, model, provider);
        if (provider == Provider.MOCK) {
            // the mock gets the same tools as a real provider, so tool wiring can be tried without keys; it prices its
            // tokens as the role's model would, so a mock run says what a real one would cost
            return new MockProvider(Duration.ofMillis(number(variables, ProviderVariables.MOCK_LATENCY_MS)),
                    toolbox(env, telemetry, egress), maxToolTurns, telemetry, chain.isEmpty() ? null : chain.get(0).prices());
        }
        if (chain.isEmpty()) {
            throw new LlmException("AGENT_MODEL not set", true);
        }
        ChatSettings settings = ChatSettings.DEFAULT.withMaxToolTurns(maxToolTurns).withTemperature(temperature(env));
        Toolbox toolbox = toolbox(env, telemetry, egress);
        List<ModelChain.Link> links = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            ModelProfile profile = chain.get(i);
            ChatApi api;
            try {
                api = api(profile.provider(), envFor(env, i, profile));
            } catch (LlmException e) {
                if (i == 0) {
                    toolbox.close();
                    throw e;
                }
                LoggerFactory.getLogger("llm").warn("fallback model {} left out: {}", profile.name(), e.getMessage());
                continue;
            }
            links.add(new ModelChain.Link(profile, new ChatProvider(api, profile.model(), toolbox, settings, telemetry,
                    profile.prices(), guards.gate(profile)), guards.circuit(profile)));
        }
        return new ModelChain(links, toolbox, Clock.systemUTC());
    }

    /** AGENT_MODELS as the operator resolved it, else the role's one model as the table knows it. */
    private static List<ModelProfile> chain(Map<String, String> env, String model, Provider provider)
            throws LlmException {
        String json = blankToNull(env.get(ProviderVariables.MODELS.name()));
        if (json != null) {
            try {
                List<ModelProfile> chain = JSON.readValue(json, new TypeReference<List<ModelProfile>>() { });
                if (!chain.isEmpty()) {
                    return chain;
                }
            } catch (IOException e) {
                throw new LlmException(AgentEnv.MODELS + " is not a list of models: " + e.getMessage(), true);
            }
        }
        if (model == null) {
            return List.of();
        }
        return List.of(ModelProfile.plain(model, provider == Provider.MOCK ? Provider.detect(model) : provider,
                ModelCatalog.builtIn()));
    }

    /**
     * The variables a model of the chain is set up from: the agent's, or its own keys ({@code ARK_MODEL_<i>_*}) and
     * endpoint when it has them (only then: the agent's keys never go to a model's endpoint).
     */
    private static Map<String, String> envFor(Map<String, String> env, int index, ModelProfile profile) {
        if (!profile.ownKeys()) {
            return env;
        }
        Map<String, String> own = new HashMap<>(env);
        AgentEnv.PROVIDER_KEYS.forEach(own::remove);
        String prefix = AgentEnv.modelKeyPrefix(index);
        env.forEach((name, value) -> {
            if (name.startsWith(prefix) && AgentEnv.PROVIDER_KEYS.contains(name.substring(prefix.length()))) {
                own.put(name.substring(prefix.length()), value);
            }
        });
        if (profile.endpoint() != null) {
            own.put(baseUrlVariable(profile.provider()), profile.endpoint());
        }
        if (profile.apiVersion() != null) {
            own.put(AgentEnv.AZURE_OPENAI_API_VERSION, profile.apiVersion());
        }
        return own;
    }

    private static String baseUrlVariable(Provider provider) {
        return switch (provider) {
            case ANTHROPIC -> AgentEnv.ANTHROPIC_BASE_URL;
            case AZURE -> AgentEnv.AZURE_OPENAI_ENDPOINT;
            case GEMINI -> AgentEnv.GEMINI_BASE_URL;
            default -> AgentEnv.OPENAI_BASE_URL;
        };
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
        String name = blankToNull(env.get(AgentEnv.PROVIDER));
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
        if (provider == Provider.AZURE) {
            String key = required(env, AgentEnv.AZURE_OPENAI_API_KEY);
            return new AzureOpenAiApi(required(env, AgentEnv.AZURE_OPENAI_ENDPOINT), key,
                    blankToNull(env.get(AgentEnv.AZURE_OPENAI_API_VERSION)));
        }
        if (provider == Provider.GEMINI) {
            return OpenAiApi.gemini(blankToNull(env.get(AgentEnv.GEMINI_BASE_URL)),
                    required(env, AgentEnv.GEMINI_API_KEY));
        }
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

    private static String required(Map<String, String> env, String name) throws LlmException {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new LlmException(name + " not set", true);
        }
        return value;
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
