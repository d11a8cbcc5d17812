package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.egress.EgressPolicy;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agent pods get the operator's egress guard, and a role's own env cannot lift it. */
class AgentEgressEnvTest {
    private static MockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new MockCluster(MockCluster.env(EgressPolicy.ALLOW, "10.0.5.0/24,tools.internal",
                "KUBERNETES_SERVICE_HOST", "10.96.0.1"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** What the kubelet gives the process: the last entry of a name wins. */
    private static String effective(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).reduce((first, second) -> second)
                .map(EnvVar::getValue).orElse(null);
    }

    @Test
    void theOperatorsAllowListAndApiServerReachTheAgentWhateverTheRoleSets() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: sly, namespace: egress}
                spec:
                  model: gpt-4o-mini
                  env:
                    - {name: ARK_EGRESS_ALLOW, value: "0.0.0.0/0"}
                    - {name: ARK_EGRESS_DENY, value: ""}
                    - {name: KUBERNETES_SERVICE_HOST, value: "192.0.2.1"}
                """, ArkAgent.class);
        Deployment d = eventually().until(() -> cluster.client.apps().deployments().inNamespace("egress")
                .withName("sly").get(), Objects::nonNull);
        List<EnvVar> env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(effective(env, EgressPolicy.ALLOW)).isEqualTo("10.0.5.0/24,tools.internal");
        assertThat(effective(env, EgressPolicy.DENY)).isEqualTo("10.96.0.1");
    }
}
