package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.llm.ModelSettings;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.queue.RedisEndpoint;
import java.time.Duration;
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

    /** Reads the agent's settings; a missing or bad one throws {@link ConfigException} naming it. */
    public static AgentConfig fromEnv(Map<String, String> env) throws ConfigException {
        Settings e = new Settings(env);
        try {
            return new AgentConfig(
                    e.required(AgentEnv.QUEUE),
                    RedisEndpoint.fromSettings(e),
                    e.required(AgentEnv.POD_NAME),
                    e.required(AgentEnv.MODEL),
                    e.text(AgentEnv.PROVIDER, ""),
                    ModelSettings.fromEnv(env).systemPrompt(e.text(AgentEnv.SYSTEM_PROMPT, "")),
                    e.integer(AgentEnv.MAX_TOKENS, DEFAULT_MAX_TOKENS, 1),
                    e.seconds(AgentEnv.TIMEOUT_SECONDS, Duration.ofSeconds(120), 1),
                    e.integer(AgentEnv.MAX_CONCURRENT_TASKS, 5, 1),
                    e.seconds(AgentEnv.VISIBILITY_TIMEOUT_SECONDS, Duration.ofSeconds(30), 1),
                    e.integer(AgentEnv.MAX_DELIVERIES, 3, 1),
                    e.whole(AgentEnv.DAILY_TOKEN_LIMIT, 0, 0),
                    e.seconds(AgentEnv.BUDGET_WINDOW_SECONDS, Duration.ofDays(1), 1),
                    e.port(AgentEnv.HEALTH_PORT, 8080),
                    e.seconds(AgentEnv.SHUTDOWN_GRACE_SECONDS, Duration.ofSeconds(25), 0));
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
