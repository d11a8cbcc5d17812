package dev.arkonis.ark.api;

import java.util.List;

/**
 * The environment of an agent pod: the names the operator sets on the Deployment and the agent reads back.
 * One list, so the two sides cannot drift apart.
 */
public final class AgentEnv {
    public static final String MODEL = "AGENT_MODEL";
    public static final String PROVIDER = "AGENT_PROVIDER";
    /** The Redis URL, without credentials. */
    public static final String TASK_QUEUE_URL = "TASK_QUEUE_URL";
    /** The Redis ACL user (optional: the default user) and its password, from a Secret by secretKeyRef. */
    public static final String TASK_QUEUE_USERNAME = "TASK_QUEUE_USERNAME";
    public static final String TASK_QUEUE_PASSWORD = "TASK_QUEUE_PASSWORD";
    /** The password of the sentinels' default user, when TASK_QUEUE_URL names a Sentinel set that demands one. */
    public static final String TASK_QUEUE_SENTINEL_PASSWORD = "TASK_QUEUE_SENTINEL_PASSWORD";
    public static final String QUEUE = "AGENT_QUEUE";
    public static final String NAMESPACE = "AGENT_NAMESPACE";
    public static final String NAME = "AGENT_NAME";
    public static final String TEAM_NAME = "AGENT_TEAM_NAME";
    public static final String TEAM_ROLE = "AGENT_TEAM_ROLE";
    public static final String MAX_TOKENS = "AGENT_MAX_TOKENS";
    public static final String TIMEOUT_SECONDS = "AGENT_TIMEOUT_SECONDS";
    public static final String MAX_CONCURRENT_TASKS = "AGENT_MAX_CONCURRENT_TASKS";
    public static final String DAILY_TOKEN_LIMIT = "AGENT_DAILY_TOKEN_LIMIT";
    /** US dollars the role may spend in the rolling window, from its models' prices; unset = no cost budget. */
    public static final String DAILY_COST_LIMIT = "AGENT_DAILY_COST_LIMIT";
    public static final String BUDGET_WINDOW_SECONDS = "AGENT_BUDGET_WINDOW_SECONDS";
    public static final String POD_NAME = "POD_NAME";
    public static final String SYSTEM_PROMPT = "AGENT_SYSTEM_PROMPT";
    /** From the ArkSettings a role lists: the temperature, the output format and the prompt fragments around its prompt. */
    public static final String TEMPERATURE = "AGENT_TEMPERATURE";
    public static final String OUTPUT_FORMAT = "AGENT_OUTPUT_FORMAT";
    public static final String PERSONA = "AGENT_PERSONA";
    public static final String OUTPUT_RULES = "AGENT_OUTPUT_RULES";
    public static final String MCP_SERVERS = "AGENT_MCP_SERVERS";
    public static final String WEBHOOK_TOOLS = "AGENT_WEBHOOK_TOOLS";
    public static final String VISIBILITY_TIMEOUT_SECONDS = "AGENT_VISIBILITY_TIMEOUT_SECONDS";
    public static final String MAX_DELIVERIES = "AGENT_MAX_DELIVERIES";
    public static final String HEALTH_PORT = "AGENT_HEALTH_PORT";
    public static final String SHUTDOWN_GRACE_SECONDS = "AGENT_SHUTDOWN_GRACE_SECONDS";
    /** The role's chain of models, resolved by the operator (JSON; no keys). */
    public static final String MODELS = "AGENT_MODELS";

    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    public static final String ANTHROPIC_API_KEY = "ANTHROPIC_API_KEY";
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String AZURE_OPENAI_API_KEY = "AZURE_OPENAI_API_KEY";
    /** The Azure OpenAI resource, {@code https://<resource>.openai.azure.com}. */
    public static final String AZURE_OPENAI_ENDPOINT = "AZURE_OPENAI_ENDPOINT";
    /** The Azure OpenAI data-plane API version; not a secret and no endpoint, so roles may set it. */
    public static final String AZURE_OPENAI_API_VERSION = "AZURE_OPENAI_API_VERSION";
    public static final String GEMINI_API_KEY = "GEMINI_API_KEY";
    public static final String GEMINI_BASE_URL = "GEMINI_BASE_URL";
    /** Each provider's key and the endpoint the key is sent to. */
    public static final List<String> PROVIDER_KEYS = List.of(OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY,
            ANTHROPIC_BASE_URL, AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, GEMINI_API_KEY, GEMINI_BASE_URL);
    /** Where the JVM reads extra options from: one could make it log a request's headers or send them elsewhere. */
    public static final List<String> JVM_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** The variable holding MCP server number {@code server}'s OAuth client secret, read by the kubelet from its Secret. */
    public static String mcpClientSecret(int server) {
        return "ARK_MCP_" + server + "_CLIENT_SECRET";
    }

    /** The variable holding MCP server number {@code server}'s private key for private_key_jwt, from its Secret. */
    public static String mcpPrivateKey(int server) {
        return "ARK_MCP_" + server + "_PRIVATE_KEY";
    }

    private AgentEnv() {
    }

    /**
     * Where the chain's model {@code index} finds its own keys: {@code ARK_MODEL_<index>_OPENAI_API_KEY} and so on
     * (from its ArkModel's Secret), used instead of the agent's.
     */
    public static String modelKeyPrefix(int index) {
        return MODEL_KEYS_PREFIX + index + "_";
    }

    /** The start of every variable holding a chain model's own key or endpoint. */
    public static final String MODEL_KEYS_PREFIX = "ARK_MODEL_";
}
