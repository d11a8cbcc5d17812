package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.RoleKeys;
import dev.arkonis.ark.queue.TokenLedger;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis down while agents are reconciled: Deployments are still kept, the budget keeps its last known value, an agent's
 * Redis user waits for Redis; when Redis comes back (empty: ACL users live in memory only) every user is set again.
 */
class AgentWithoutRedisTest {
    private static final String NS = "outage";
    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url()), connections);
    }

    @AfterEach
    void stop() {
        cluster.close();
        connections.close();
        redis.close();
    }

    private ArkAgent agent(String name) {
        return cluster.client.resources(ArkAgent.class).inNamespace(NS).withName(name).get();
    }

    private Deployment deployment(String name) {
        return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> condition(ArkAgent agent, String type) {
        return agent.getStatus() == null || agent.getStatus().conditions() == null ? Optional.empty()
                : agent.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private void createAgent(String name) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: %s, namespace: outage}
                spec: {model: m, provider: mock, limits: {maxDailyTokens: 1000}}
                """.formatted(name), ArkAgent.class);
    }

    @Test
    void anAgentGetsItsDeploymentWhileRedisIsDownAndItsBudgetKeepsTheLastKnownUsage() {
        new TokenLedger(connections.shared(), new RoleKeys("outage.spender")).record(List.of(TokenUsage.of(100, 20)));
        createAgent("spender");
        eventually().until(() -> agent("spender").getStatus() != null
                && agent("spender").getStatus().dailyTokenUsage().totalTokens() == 120);

        createAgent("quiet"); // nothing about it changes while Redis is away: only Redis's return can bring its user back
        eventually().until(() -> redis.redis().aclUsers().containsAll(List.of("ark-agent.outage.spender",
                "ark-agent.outage.quiet")));

        redis.stop();
        createAgent("newcomer");
        eventually().until(() -> deployment("newcomer") != null);
        eventually().untilAsserted(() -> assertThat(condition(agent("newcomer"), Ark.CONDITION_LEDGER_REACHABLE))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("RedisUnavailable");
                    assertThat(c.getMessage()).startsWith("cannot read the token ledger: ");
                }));
        eventually().untilAsserted(() -> assertThat(condition(agent("newcomer"), Ark.CONDITION_QUEUE_ISOLATED))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("RedisUnavailable");
                    assertThat(c.getMessage()).startsWith("cannot set the agent's Redis user ark-agent.outage.newcomer yet");
                }));

        // kubectl scale arkagent spender --replicas=2, while Redis is still down
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("spender")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        eventually().until(() -> deployment("spender").getSpec().getReplicas() == 2);
        eventually().untilAsserted(() -> {
            ArkAgent spender = agent("spender");
            assertThat(spender.getStatus().replicas()).isEqualTo(2);
            assertThat(spender.getStatus().dailyTokenUsage().totalTokens()).as("the last known usage").isEqualTo(120);
            assertThat(spender.getStatus().budget()).isEqualTo("120/1000");
        });

        redis.startAgain();
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("newcomer")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        eventually().untilAsserted(() -> assertThat(condition(agent("newcomer"), Ark.CONDITION_LEDGER_REACHABLE))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
        eventually().untilAsserted(() -> assertThat(condition(agent("newcomer"), Ark.CONDITION_QUEUE_ISOLATED))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
        // the restarted Redis knew no users: the operator set them all again, the one it had set before too
        eventually().untilAsserted(() -> assertThat(redis.redis().aclUsers())
                .contains("ark-agent.outage.spender", "ark-agent.outage.quiet", "ark-agent.outage.newcomer"));
    }
}
