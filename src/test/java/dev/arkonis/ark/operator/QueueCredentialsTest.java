package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkModel;
import dev.arkonis.ark.queue.ModelBuckets;
import dev.arkonis.ark.queue.ModelCircuits;
import dev.arkonis.ark.queue.ModelKeys;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisCommandExecutionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every agent's pods get a Redis user of their own, confined to the agent's keys, from a Secret the agent owns. */
class QueueCredentialsTest {
    private static final String NS = "creds";
    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;

    @BeforeEach
    void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (connections != null) {
            connections.close();
        }
        redis.close();
    }

    private void startOperator(RedisEndpoint endpoint, String... env) throws Exception {
        connections = RedisConnections.open(endpoint);
        cluster = MockCluster.withRuns(MockCluster.env(env), connections);
    }

    private void createAgent(String name) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: %s, namespace: creds}
                spec: {model: m, provider: mock}
                """.formatted(name), ArkAgent.class);
    }

    private ArkAgent agent(String name) {
        return cluster.client.resources(ArkAgent.class).inNamespace(NS).withName(name).get();
    }

    private Secret credentials(String agent) {
        return cluster.client.secrets().inNamespace(NS).withName(agent + "-queue-credentials").get();
    }

    private static String value(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static Optional<Condition> condition(ArkAgent agent, String type) {
        return agent.getStatus() == null || agent.getStatus().conditions() == null ? Optional.empty()
                : agent.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private Map<String, EnvVar> env(String agent) {
        Deployment deployment = cluster.client.apps().deployments().inNamespace(NS).withName(agent).get();
        Map<String, EnvVar> env = new java.util.HashMap<>();
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e));
        return env;
    }

    private String podTemplateHash(String agent) {
        return cluster.client.apps().deployments().inNamespace(NS).withName(agent).get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get("arkonis.dev/config-hash");
    }

    /** Through a Sentinel set that demands a password, agents get it as they get their own: from their Secret. */
    @Test
    void theSentinelsPasswordReachesAgentsOnlyThroughTheirSecret() throws Exception {
        startOperator(RedisEndpoint.of(redis.url()), "TASK_QUEUE_URL", redis.url(),
                "TASK_QUEUE_SENTINEL_PASSWORD", "lookup-secret");
        createAgent("watched");
        eventually().until(() -> credentials("watched") != null && cluster.client.apps().deployments().inNamespace(NS)
                .withName("watched").get() != null);
        assertThat(value(credentials("watched"), "sentinel-password")).isEqualTo("lookup-secret");
        EnvVar variable = env("watched").get("TASK_QUEUE_SENTINEL_PASSWORD");
        assertThat(variable.getValue()).isNull();
        assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("watched-queue-credentials");
        assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sentinel-password");
        assertThat(Serialization.asJson(cluster.client.apps().deployments().inNamespace(NS).withName("watched").get()))
                .doesNotContain("lookup-secret");
    }

    @Test
    void anAgentGetsARedisUserOfItsOwnFromASecretItOwns() throws Exception {
        startOperator(RedisEndpoint.of(redis.url()), "TASK_QUEUE_URL", redis.url());
        createAgent("solo");
        eventually().until(() -> credentials("solo") != null && cluster.client.apps().deployments().inNamespace(NS)
                .withName("solo").get() != null);
        Secret secret = credentials("solo");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "ark")
                .containsEntry("arkonis.dev/agent", "solo");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("ArkAgent");
            assertThat(owner.getUid()).isEqualTo(agent("solo").getMetadata().getUid());
        });
        String user = value(secret, "username");
        String password = value(secret, "password");
        assertThat(user).isEqualTo("ark-agent.creds.solo");
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);

        Map<String, EnvVar> env = env("solo");
        assertThat(env.get("TASK_QUEUE_URL").getValue()).isEqualTo(redis.url());
        for (String name : new String[] {"TASK_QUEUE_USERNAME", "TASK_QUEUE_PASSWORD"}) {
            assertThat(env.get(name).getValue()).as(name + " only by reference").isNull();
            assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).isEqualTo("solo-queue-credentials");
        }
        assertThat(env).as("no Sentinel set, no sentinel password").doesNotContainKey("TASK_QUEUE_SENTINEL_PASSWORD");
        assertThat(secret.getData()).doesNotContainKey("sentinel-password");
        assertThat(Serialization.asJson(cluster.client.apps().deployments().inNamespace(NS).withName("solo").get()))
                .doesNotContain(password);
        eventually().untilAsserted(() -> assertThat(condition(agent("solo"), Ark.CONDITION_QUEUE_ISOLATED))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("OwnRedisUser");
                    assertThat(c.getMessage()).contains("ark-agent.creds.solo", "creds.solo and creds.solo.*")
                            .doesNotContain(password);
                }));

        // the user works for the agent's keys, and for nothing else
        try (RedisConnections pod = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(user),
                Optional.of(password)))) {
            assertThat(pod.shared().sync().xadd("creds.solo", Map.of("task", "mine"))).isNotNull();
            assertThatThrownBy(() -> pod.shared().sync().xadd("creds.other", Map.of("task", "not mine")))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
        }

        // a change of the agent keeps its password
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("solo")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        eventually().until(() -> cluster.client.apps().deployments().inNamespace(NS).withName("solo").get()
                .getSpec().getReplicas() == 2);
        assertThat(value(credentials("solo"), "password")).isEqualTo(password);

        // credentials deleted by hand are made anew, and the pods roll onto them
        String hash = podTemplateHash("solo");
        cluster.client.secrets().inNamespace(NS).withName("solo-queue-credentials").delete();
        eventually().until(() -> credentials("solo") != null && !value(credentials("solo"), "password").equals(password));
        String renewed = value(credentials("solo"), "password");
        eventually().until(() -> !podTemplateHash("solo").equals(hash));
        assertThatThrownBy(() -> RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(user),
                Optional.of(password)))).as("the old password no longer opens anything").hasMessageContaining("WRONGPASS");
        try (RedisConnections pod = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(user),
                Optional.of(renewed)))) {
            assertThat(pod.shared().sync().ping()).isEqualTo("PONG");
        }

        // and its user goes with it
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("solo").delete();
        eventually().untilAsserted(() -> assertThat(redis.redis().aclUsers()).doesNotContain(user));
    }

    @Test
    void anAgentsUserMayTouchItsOwnModelsSharedLimitsAndCircuitsAndNoOthers() throws Exception {
        // gpt-4.1's quota is the whole cluster's (the admin's table); fast's is the namespace's own
        startOperator(RedisEndpoint.of(redis.url()), "TASK_QUEUE_URL", redis.url(),
                "MODEL_CATALOG", "gpt-4.1: {rateLimits: {requestsPerMinute: 500}}");
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkModel
                metadata: {name: fast, namespace: creds}
                spec: {provider: openai, model: gpt-4o, rateLimits: {requestsPerMinute: 60}, fallback: [gpt-4.1]}
                """, ArkModel.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: writer, namespace: creds}
                spec: {model: fast, provider: openai}
                """, ArkAgent.class);
        eventually().until(() -> credentials("writer") != null);
        String user = value(credentials("writer"), "username");
        String password = value(credentials("writer"), "password");
        try (RedisConnections pod = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(user),
                Optional.of(password)))) {
            ModelBuckets buckets = new ModelBuckets(pod.shared());
            ModelCircuits circuits = new ModelCircuits(pod.shared());
            List<ModelKeys> granted = List.of(ModelKeys.namespace(NS, "fast"), ModelKeys.namespace(NS, "gpt-4.1"),
                    ModelKeys.cluster("gpt-4.1"));
            eventually().untilAsserted(() -> granted.forEach(own -> assertThat(circuits.refusal(own)).isEmpty()));
            for (ModelKeys own : granted) {
                assertThat(buckets.reserve(own, 60, 0, 1, Duration.ofMinutes(1))).as(own.prefix()).isZero();
                circuits.failed(own, "503");
            }
            for (ModelKeys foreign : List.of(ModelKeys.namespace("other", "fast"), ModelKeys.namespace(NS, "slow"),
                    ModelKeys.cluster("gpt-4o"))) {
                assertThatThrownBy(() -> buckets.reserve(foreign, 60, 0, 1, Duration.ofMinutes(1))).as(foreign.prefix())
                        .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
                assertThatThrownBy(() -> circuits.failed(foreign, "forged")).as(foreign.prefix())
                        .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            }

            // the chain changes: the new fallback's keys are granted, the old one's taken away
            ArkModel slower = cluster.parse("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkModel
                    metadata: {name: fast, namespace: creds}
                    spec: {provider: openai, model: gpt-4o, rateLimits: {requestsPerMinute: 60}, fallback: [slow]}
                    """, ArkModel.class);
            cluster.edit(ArkModel.class, NS, "fast", m -> {
                m.setSpec(slower.getSpec());
                return m;
            });
            eventually().untilAsserted(() -> assertThat(circuits.refusal(ModelKeys.namespace(NS, "slow"))).isEmpty());
            assertThatThrownBy(() -> buckets.reserve(ModelKeys.namespace(NS, "gpt-4.1"), 60, 0, 1, Duration.ofMinutes(1)))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
        }
    }

    @Test
    void whereTheOperatorMayNotManageUsersAgentsShareItsCredentialAndTheConditionSaysSo() throws Exception {
        redis.redis().aclSetuser("managed", AclSetuserArgs.Builder.on().addPassword("operator-pw").allKeys()
                .allChannels().allCommands().removeCategory(AclCategory.ADMIN));
        startOperator(new RedisEndpoint(redis.url(), Optional.of("managed"), Optional.of("operator-pw")),
                "TASK_QUEUE_URL", redis.url(), "TASK_QUEUE_USERNAME", "managed", "TASK_QUEUE_PASSWORD", "operator-pw");
        createAgent("shared");
        eventually().untilAsserted(() -> assertThat(condition(agent("shared"), Ark.CONDITION_QUEUE_ISOLATED))
                .hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("SharedCredential");
                    assertThat(c.getMessage()).contains("may not manage ACL users", "NOPERM",
                            "the operator's own Redis credential, which reaches every namespace's queues")
                            .doesNotContain("operator-pw");
                }));
        eventually().until(() -> credentials("shared") != null && "managed".equals(value(credentials("shared"), "username")));
        assertThat(value(credentials("shared"), "password")).isEqualTo("operator-pw");
    }

    @Test
    void aUrlThatCarriesAPasswordStillWorksButAgentsAreToldItWithoutIt() throws Exception {
        redis.redis().aclSetuser("default", AclSetuserArgs.Builder.on().resetpass().addPassword("legacy-pw")
                .allKeys().allChannels().allCommands());
        String withPassword = "redis://:legacy-pw@127.0.0.1:" + redis.port();
        startOperator(RedisEndpoint.of(withPassword), "TASK_QUEUE_URL", withPassword);
        createAgent("legacy");
        eventually().untilAsserted(() -> assertThat(condition(agent("legacy"), Ark.CONDITION_QUEUE_ISOLATED))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
        assertThat(env("legacy").get("TASK_QUEUE_URL").getValue()).isEqualTo("redis://127.0.0.1:" + redis.port());
        assertThat(Serialization.asJson(cluster.client.apps().deployments().inNamespace(NS).withName("legacy").get()))
                .doesNotContain("legacy-pw");
    }
}
