package dev.arkonis.ark.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    @Test
    void readsTheEnvironmentWithTheDocumentedDefaults() throws Exception {
        AgentConfig config = AgentConfig.fromEnv(required());

        assertThat(config.taskTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.maxConcurrentTasks()).isEqualTo(5);
        assertThat(config.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxDeliveries()).isEqualTo(3);
        assertThat(config.dailyTokenLimit()).isZero();
        assertThat(config.healthPort()).isEqualTo(8080);
        assertThat(config.maxTokensPerCall()).isEqualTo(8000);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void overridesAreRead() throws Exception {
        Map<String, String> env = required();
        env.put("AGENT_MAX_CONCURRENT_TASKS", "2");
        env.put("AGENT_DAILY_TOKEN_LIMIT", "500000");
        env.put("AGENT_VISIBILITY_TIMEOUT_SECONDS", "10");
        env.put("AGENT_SYSTEM_PROMPT", "You write.");

        AgentConfig config = AgentConfig.fromEnv(env);

        assertThat(config.maxConcurrentTasks()).isEqualTo(2);
        assertThat(config.dailyTokenLimit()).isEqualTo(500_000);
        assertThat(config.visibilityTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.systemPrompt()).isEqualTo("You write.");
    }

    @Test
    void aBadValueNamesTheVariable() {
        Map<String, String> env = required();
        env.put("AGENT_TIMEOUT_SECONDS", "soon");
        assertThatThrownBy(() -> AgentConfig.fromEnv(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AGENT_TIMEOUT_SECONDS");
        env.put("AGENT_TIMEOUT_SECONDS", "0");
        assertThatThrownBy(() -> AgentConfig.fromEnv(env)).hasMessage("AGENT_TIMEOUT_SECONDS must be at least 1, not 0");
    }

    @Test
    void eachRequiredVariableIsNamedWhenMissing() {
        for (String name : new String[] {"AGENT_QUEUE", "TASK_QUEUE_URL", "POD_NAME", "AGENT_MODEL"}) {
            Map<String, String> env = required();
            env.remove(name);
            assertThatThrownBy(() -> AgentConfig.fromEnv(env)).hasMessage(name + " not set");
        }
    }

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_QUEUE", "ns.team.writer");
        env.put("TASK_QUEUE_URL", "redis://redis:6379");
        env.put("POD_NAME", "writer-abc");
        env.put("AGENT_MODEL", "gpt-4o-mini");
        return env;
    }
}
