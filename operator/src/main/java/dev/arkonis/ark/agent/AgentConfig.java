package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.llm.ModelSettings;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.queue.RedisEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything an agent is told, read from its environment only ({@link dev.arkonis.ark.api.AgentEnv}), so the pod
 * the operator builds and an agent started by hand are configured the same way.
 *
 * @param redis            TASK_QUEUE_URL with the agent's own user and password (TASK_QUEUE_USERNAME, TASK_QUEUE_PASSWORD)
 * @param maxTokensPerCall per LLM call; a task's own {@code maxTokens} may only lower it
 * @param dailyTokenLimit  rolling-24h token budget of the role; 0 = none
 * @param budgetWindow     length of the rolling budget window: 24 h (shorter only in tests)
 * @param healthPort       0 picks a free port (tests)
 */
public record AgentConfig(
        String queue,
        RedisEndpoint redis,
        String podName,
        String model,
        String provider,
        String systemPrompt,
        int maxTokensPerCall,
        Duration taskTimeout,
        int maxConcurrentTasks,
        Duration visibilityTimeout,
        int maxDeliveries,
        long dailyTokenLimit,
        Duration budgetWindow,
        int healthPort,
        Duration shutdownGrace) {

    public static final int DEFAULT_MAX_TOKENS = 8000;

    public AgentConfig {
        if (maxConcurrentTasks < 1) {
            throw new IllegalArgumentException("maxConcurrentTasks must be >= 1");
        }
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries must be >= 1");
        }
    }

    private static final String OPERATOR = "the operator";

    public static final Setting<String> QUEUE = Setting.required(AgentEnv.QUEUE).setBy(OPERATOR)
            .means("the role's stream key `<namespace>.<team>.<role>`");
    public static final Setting<String> POD_NAME = Setting.required(AgentEnv.POD_NAME).setBy("the pod's name")
            .means("consumer name in the group `ark-agents`");
    public static final Setting<String> MODEL = Setting.required(AgentEnv.MODEL).setBy("the role's `model`")
            .means("the model");
    public static final Setting<String> PROVIDER = Setting.text(AgentEnv.PROVIDER, "").setBy("the role's `provider`")
            .shownDefault("detected").means("`openai`, `anthropic` or `mock`; else the one the model name implies");
    public static final Setting<String> SYSTEM_PROMPT = Setting.text(AgentEnv.SYSTEM_PROMPT, "")
            .setBy("the role's `systemPrompt` or `systemPromptRef`").means("the role's system prompt");
    public static final Setting<Integer> MAX_TOKENS = Setting.integer(AgentEnv.MAX_TOKENS, DEFAULT_MAX_TOKENS, 1)
            .setBy("the role's `limits.maxTokensPerCall`").means("max tokens per LLM call");
    public static final Setting<Duration> TIMEOUT_SECONDS = Setting.seconds(AgentEnv.TIMEOUT_SECONDS,
            Duration.ofSeconds(120), 1).setBy("the role's `limits.timeoutSeconds`")
            .means("a task fails after this long (or at its `deadline`)");
    public static final Setting<Integer> MAX_CONCURRENT_TASKS = Setting.integer(AgentEnv.MAX_CONCURRENT_TASKS, 5, 1)
            .setBy("the role's `limits.maxConcurrentTasks`").means("tasks in flight per pod");
    public static final Setting<Duration> VISIBILITY_TIMEOUT_SECONDS = Setting.seconds(
            AgentEnv.VISIBILITY_TIMEOUT_SECONDS, Duration.ofSeconds(30), 1)
            .means("a task claimed by a dead agent is reclaimed after this long idle");
    public static final Setting<Integer> MAX_DELIVERIES = Setting.integer(AgentEnv.MAX_DELIVERIES, 3, 1)
            .means("deliveries before a task goes to `<key>.dead` with a failed result");
    public static final Setting<Long> DAILY_TOKEN_LIMIT = Setting.whole(AgentEnv.DAILY_TOKEN_LIMIT, 0, 0)
            .setBy("the role's `limits.maxDailyTokens`, else the operator's default")
            .means("rolling 24h budget; when spent the agent takes no new tasks; 0 = none");
    public static final Setting<Duration> BUDGET_WINDOW_SECONDS = Setting.seconds(AgentEnv.BUDGET_WINDOW_SECONDS,
            Duration.ofDays(1), 1).setBy(OPERATOR).means("the rolling budget window, shortened for tests").forTests();
    public static final Setting<Integer> HEALTH_PORT = Setting.port(AgentEnv.HEALTH_PORT, 8080)
            .means("`/healthz`, `/readyz` (Redis reachable and group joined), `/metrics` (see [Servers](#servers))");
    public static final Setting<Duration> SHUTDOWN_GRACE_SECONDS = Setting.seconds(AgentEnv.SHUTDOWN_GRACE_SECONDS,
            Duration.ofSeconds(25), 0)
            .means("on SIGTERM, in-flight tasks finish within this; unfinished ones are left for others");
    /** Who the agent is, set on its pod. */
    public static final List<Setting<?>> IDENTITY = List.of(
            Setting.external(AgentEnv.NAMESPACE, "text").setBy(OPERATOR)
                    .means("the agent's namespace"),
            Setting.external(AgentEnv.NAME, "text").setBy(OPERATOR).means("the ArkAgent's name"),
            Setting.external(AgentEnv.TEAM_NAME, "text").setBy(OPERATOR).means("its team (empty: none)"),
            Setting.external(AgentEnv.TEAM_ROLE, "text").setBy(OPERATOR).means("its role in that team"));
    /** What {@link #fromEnv} reads, besides the Redis endpoint. */
    public static final List<Setting<?>> SETTINGS = List.of(QUEUE, POD_NAME, MODEL, PROVIDER, SYSTEM_PROMPT,
            MAX_TOKENS, TIMEOUT_SECONDS, MAX_CONCURRENT_TASKS, VISIBILITY_TIMEOUT_SECONDS, MAX_DELIVERIES,
            DAILY_TOKEN_LIMIT, BUDGET_WINDOW_SECONDS, HEALTH_PORT, SHUTDOWN_GRACE_SECONDS);

    /** Reads the agent's settings; a missing or bad one throws {@link ConfigException} naming it. */
    public static AgentConfig fromEnv(Map<String, String> env) throws ConfigException {
        Settings e = new Settings(env);
        try {
            return new AgentConfig(
                    e.get(QUEUE),
                    RedisEndpoint.fromSettings(e),
                    e.get(POD_NAME),
                    e.get(MODEL),
                    e.get(PROVIDER),
                    ModelSettings.fromEnv(env).systemPrompt(e.text(AgentEnv.SYSTEM_PROMPT, "")),
                    e.get(MAX_TOKENS),
                    e.get(TIMEOUT_SECONDS),
                    e.get(MAX_CONCURRENT_TASKS),
                    e.get(VISIBILITY_TIMEOUT_SECONDS),
                    e.get(MAX_DELIVERIES),
                    e.get(DAILY_TOKEN_LIMIT),
                    e.get(BUDGET_WINDOW_SECONDS),
                    e.get(HEALTH_PORT),
                    e.get(SHUTDOWN_GRACE_SECONDS));
        } catch (InvalidSettingException invalid) {
            throw new ConfigException(invalid.getMessage());
        }
    }

    /** A copy with another visibility timeout (tests use short ones). */
    public AgentConfig withVisibilityTimeout(Duration value) {
        return new AgentConfig(queue, redis, podName, model, provider, systemPrompt, maxTokensPerCall,
                taskTimeout, maxConcurrentTasks, value, maxDeliveries, dailyTokenLimit, budgetWindow, healthPort, shutdownGrace);
    }
}
