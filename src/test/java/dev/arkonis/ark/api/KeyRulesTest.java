package dev.arkonis.ark.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CEL rules are constant text: they must still fence every provider variable there is. */
class KeyRulesTest {
    @Test
    void everyProviderVariableAndJvmOptionIsFencedAndNamed() {
        for (String name : AgentEnv.PROVIDER_KEYS) {
            assertThat(KeyRules.AGENT_ENV).contains("'" + name + "'");
            assertThat(KeyRules.TEAM_ENV).contains("'" + name + "'");
            assertThat(KeyRules.ENV_MESSAGE).contains(name);
        }
        for (String name : AgentEnv.JVM_OPTIONS) {
            assertThat(KeyRules.AGENT_ENV).contains("'" + name + "'");
        }
    }
}
