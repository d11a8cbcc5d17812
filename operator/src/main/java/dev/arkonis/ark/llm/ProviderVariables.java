package dev.arkonis.ark.llm;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.llm.tools.HttpTools;
import java.util.List;
import java.util.Optional;

/**
 * What {@link LlmSetup} builds a provider and its tools from, in an agent pod and for each role of {@code ark run}:
 * the providers' keys and endpoints, the role's tools and the knobs of model and tool calls.
 */
public final class ProviderVariables {
    private static final String KEYS = "the organisation's keys or the namespace's own (see [Keys](#keys))";

    public static final Setting<Optional<String>> OPENAI_API_KEY = Setting.optional(AgentEnv.OPENAI_API_KEY)
            .setBy(KEYS).means("the key of OpenAI or of an OpenAI-compatible server");
    public static final Setting<Optional<String>> OPENAI_BASE_URL = Setting.optional(AgentEnv.OPENAI_BASE_URL)
            .value("URL").setBy(KEYS)
            .means("an OpenAI-compatible endpoint (a gateway, Ollama) instead of OpenAI's; it may need no key");
    public static final Setting<Optional<String>> ANTHROPIC_API_KEY = Setting.optional(AgentEnv.ANTHROPIC_API_KEY)
            .setBy(KEYS).means("the key of Anthropic");
    public static final Setting<Optional<String>> ANTHROPIC_BASE_URL = Setting.optional(AgentEnv.ANTHROPIC_BASE_URL)
            .value("URL").setBy(KEYS).means("an Anthropic-compatible endpoint instead of Anthropic's");
    public static final Setting<Optional<String>> MCP_SERVERS = Setting.optional(AgentEnv.MCP_SERVERS).value("JSON")
            .setBy("the role's `mcpServers`").means("the role's MCP servers");
    public static final Setting<Optional<String>> WEBHOOK_TOOLS = Setting.optional(AgentEnv.WEBHOOK_TOOLS)
            .value("JSON").setBy("the role's `tools`").means("the role's HTTP tools");
    public static final Setting<Optional<String>> MCP_CREDENTIALS = Setting.family("ARK_MCP_<i>_CLIENT_SECRET",
            "text").setBy("the MCP server's Secret")
            .means("the OAuth client secret of MCP server `<i>`; `ARK_MCP_<i>_PRIVATE_KEY` its PEM key for"
                    + " `private_key_jwt`");
    public static final Setting<Long> TOOL_TIMEOUT_SECONDS = Setting.whole("AGENT_TOOL_TIMEOUT_SECONDS", 60, 0)
            .value("seconds, at least 0").means("a tool call (HTTP or MCP) fails after this long");
    public static final Setting<Long> TOOL_MAX_RESPONSE_BYTES = Setting.whole("AGENT_TOOL_MAX_RESPONSE_BYTES",
            HttpTools.DEFAULT_MAX_RESPONSE_BYTES, 0)
            .means("bytes of an HTTP tool's response handed to the model; the rest is not read, and the result says"
                    + " where it was cut (MCP responses are bounded at 4 MiB)");
    public static final Setting<Long> MCP_CONNECT_TIMEOUT_SECONDS = Setting.whole("AGENT_MCP_CONNECT_TIMEOUT_SECONDS",
            10, 0).value("seconds, at least 0")
            .means("an MCP server that has not answered within this at start is left out (and logged)");
    public static final Setting<Long> MAX_TOOL_TURNS = Setting.whole("AGENT_MAX_TOOL_TURNS", 10, 0)
            .means("model calls of one task that ask for tools, before the task fails for want of an answer");
    public static final Setting<Long> MOCK_LATENCY_MS = Setting.whole("AGENT_MOCK_LATENCY_MS", 0, 0)
            .value("milliseconds, at least 0").means("the mock provider takes this long per answer");

    /** The keys and endpoints of every provider. */
    public static final List<Setting<?>> KEYS_AND_ENDPOINTS = List.of(OPENAI_API_KEY, OPENAI_BASE_URL,
            ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL);
    /** The role's tools and the knobs of calls. */
    public static final List<Setting<?>> TOOLS_AND_CALLS = List.of(MCP_SERVERS, WEBHOOK_TOOLS, MCP_CREDENTIALS,
            TOOL_TIMEOUT_SECONDS, TOOL_MAX_RESPONSE_BYTES, MCP_CONNECT_TIMEOUT_SECONDS, MAX_TOOL_TURNS, MOCK_LATENCY_MS);

    private ProviderVariables() {
    }
}
