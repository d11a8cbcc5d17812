package dev.arkonis.ark.agent;

import java.time.Duration;
import java.util.Map;

/**
 * Everything an agent is told, read from its environment only (SPEC 3).
 *
 * @param maxTokensPerCall per LLM call; a task's own {@code maxTokens} may only lower it
 * @param dailyTokenLimit  rolling-24h token budget of the role; 0 = none
 * @param budgetWindow     length of the rolling budget window: 24 h (shorter only in tests)
 * @param healthPort       0 picks a free port (tests)
 */
public record AgentConfig(
        String queue,
        String redisUrl,
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

    public static AgentConfig fromEnv(Map<String, String> env) throws ConfigException {
        Env e = new Env(env);
        return new AgentConfig(
                e.required("AGENT_QUEUE"),
                e.required("TASK_QUEUE_URL"),
                e.required("POD_NAME"),
                e.required("AGENT_MODEL"),
                e.optional("AGENT_PROVIDER", ""),
                e.optional("AGENT_SYSTEM_PROMPT", ""),
                e.integer("AGENT_MAX_TOKENS", DEFAULT_MAX_TOKENS, 1),
                Duration.ofSeconds(e.integer("AGENT_TIMEOUT_SECONDS", 120, 1)),
                e.integer("AGENT_MAX_CONCURRENT_TASKS", 5, 1),
                Duration.ofSeconds(e.integer("AGENT_VISIBILITY_TIMEOUT_SECONDS", 30, 1)),
                e.integer("AGENT_MAX_DELIVERIES", 3, 1),
                e.longValue("AGENT_DAILY_TOKEN_LIMIT", 0, 0),
                Duration.ofSeconds(e.longValue("AGENT_BUDGET_WINDOW_SECONDS", 86_400, 1)),
                e.integer("AGENT_HEALTH_PORT", 8080, 0),
                Duration.ofSeconds(e.integer("AGENT_SHUTDOWN_GRACE_SECONDS", 25, 0)));
    }

    /** A copy with another visibility timeout (tests use short ones). */
    public AgentConfig withVisibilityTimeout(Duration value) {
        return new AgentConfig(queue, redisUrl, podName, model, provider, systemPrompt, maxTokensPerCall,
                taskTimeout, maxConcurrentTasks, value, maxDeliveries, dailyTokenLimit, budgetWindow, healthPort, shutdownGrace);
    }

    private record Env(Map<String, String> values) {
        String required(String name) throws ConfigException {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new ConfigException(name + " not set");
            }
            return value.trim();
        }

        String optional(String name, String fallback) {
            String value = values.get(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        int integer(String name, int fallback, int min) throws ConfigException {
            long value = longValue(name, fallback, min);
            if (value > Integer.MAX_VALUE) {
                throw new ConfigException(name + " is too large: " + value);
            }
            return (int) value;
        }

        long longValue(String name, long fallback, long min) throws ConfigException {
            String raw = values.get(name);
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a whole number, was '" + raw + "'");
            }
            if (value < min) {
                throw new ConfigException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }
}
