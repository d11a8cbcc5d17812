package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Per-role limits; absent fields take the defaults (maxDailyTokens: the operator's, unset stays unset). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentLimits(
        @JsonPropertyDescription("Maximum tokens per LLM call.") @Default("8000") @Min(1) Integer maxTokensPerCall,
        @JsonPropertyDescription("Tasks one agent pod works on at once.") @Default("5") @Min(1) Integer maxConcurrentTasks,
        @JsonPropertyDescription("Seconds a task may take before it fails.") @Default("120") @Min(1) Integer timeoutSeconds,
        @JsonPropertyDescription("Tokens the role's agents may spend in any rolling 24h window; 0 means no budget; "
                + "unset takes the operator's default (Helm value agentDefaults.maxDailyTokens).") @Min(0) Long maxDailyTokens) {

    public static final int DEFAULT_MAX_TOKENS_PER_CALL = 8000;
    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 5;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;

    public static final AgentLimits DEFAULTS = new AgentLimits(null, null, null, null);

    public int effectiveMaxTokensPerCall() {
        return maxTokensPerCall == null ? DEFAULT_MAX_TOKENS_PER_CALL : maxTokensPerCall;
    }

    public int effectiveMaxConcurrentTasks() {
        return maxConcurrentTasks == null ? DEFAULT_MAX_CONCURRENT_TASKS : maxConcurrentTasks;
    }

    public int effectiveTimeoutSeconds() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    /** @param fallback the operator's default for agents that set none; 0 = no budget */
    public long effectiveMaxDailyTokens(long fallback) {
        return maxDailyTokens == null ? fallback : maxDailyTokens;
    }
}
