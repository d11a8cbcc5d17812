package dev.arkonis.ark.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.agent.AgentConfig;
import dev.arkonis.ark.api.ArkSettingsSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ArkSettings merged in order into a role's calls; an agent pod builds the same system prompt from its environment. */
class ModelSettingsTest {
    private static ArkSettingsSpec settings(String temperature, String format, String persona, String rules) {
        return new ArkSettingsSpec(temperature, format, null, new ArkSettingsSpec.PromptFragments(persona, rules));
    }

    @Test
    void laterSettingsWinAndFragmentsAddUpAroundTheRolesPrompt() throws Exception {
        ModelSettings merged = ModelSettings.merge(List.of(
                settings("0.7", "markdown", "You are an analyst.", "Cite sources."),
                settings("0.2", "structured-json", "You are precise.", null)));
        assertThat(merged.temperature()).isEqualTo("0.2");
        assertThat(merged.systemPrompt("Summarise reports.")).isEqualTo("You are an analyst.\n\nYou are precise.\n\n"
                + "Summarise reports.\n\nCite sources.\n\nAnswer with JSON only.");
        assertThat(ModelSettings.merge(List.of()).systemPrompt("Plain.")).isEqualTo("Plain.");

        Map<String, String> env = new HashMap<>(merged.env());
        env.putAll(Map.of("AGENT_QUEUE", "ns.t.r", "TASK_QUEUE_URL", "redis://x:6379", "POD_NAME", "p", "AGENT_MODEL", "m",
                "AGENT_SYSTEM_PROMPT", "Summarise reports."));
        assertThat(AgentConfig.fromEnv(env).systemPrompt()).isEqualTo(merged.systemPrompt("Summarise reports."));
        assertThat(env).containsEntry("AGENT_TEMPERATURE", "0.2").containsEntry("AGENT_OUTPUT_FORMAT", "structured-json");
    }
}
