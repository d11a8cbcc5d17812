package dev.arkonis.ark.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's Deployment as the operator applies it. */
class AgentDeploymentTest {
    private static final OperatorConfig CONFIG = OperatorConfig.fromEnv(Map.of("TASK_QUEUE_URL", "redis://redis:6379",
            "AGENT_IMAGE", "ark:test", "OPERATOR_NAMESPACE", "ark-system"));

    private static List<EnvVar> env(String agentYaml) {
        ArkAgent agent = Serialization.unmarshal(agentYaml, ArkAgent.class);
        agent.getMetadata().setUid("uid-1");
        return new AgentDeployment(CONFIG).desired(agent, new AgentDeployment.Inputs("keys.a", Optional.empty(), 1, "h",
                Optional.empty())).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    }

    /** Server-side apply refuses a container whose env names a variable twice: the later entry is the one kept. */
    @Test
    void everyVariableIsNamedOnceAndTheLaterEntryWins() {
        List<EnvVar> env = env("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: a, namespace: keys}
                spec:
                  model: gpt-4o-mini
                  provider: openai
                  apiKeys: {secretRef: {name: own-keys}}
                  env:
                    - {name: OPENAI_API_KEY, value: ""}
                    - {name: AGENT_QUEUE, value: someone-elses.queue}
                """);
        assertThat(env).extracting(EnvVar::getName).doesNotHaveDuplicates();
        assertThat(env).filteredOn(e -> e.getName().equals("OPENAI_API_KEY")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).as("the role's own env over its key Secret").isEmpty());
        assertThat(env).filteredOn(e -> e.getName().equals("OPENAI_BASE_URL")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("own-keys"));
        assertThat(env).filteredOn(e -> e.getName().equals("AGENT_QUEUE")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).as("ark's own settings over the role's").isEqualTo("keys.a"));
    }
}
