package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AgentReconcilerTest {
    private static final String PROMPT_SECRET_TEXT = "TOP SECRET PROMPT: never print me";
    private static final String HEADER_SECRET_TEXT = "Bearer s3cr3t-t0ken";
    private static final String API_KEY = "sk-test-0123456789";
    private static MockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new MockCluster(MockCluster.env("API_KEYS_SECRET", "llm-keys", "REFERENCE_RECHECK_SECONDS", "1",
                "AGENT_RESOURCES", "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"},\"limits\":{\"memory\":\"512Mi\"}}",
                "AGENT_IMAGE_PULL_SECRETS", "registry-b, registry-a"));
        secret("ark-system", "llm-keys", Map.of("OPENAI_API_KEY", API_KEY));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void secret(String ns, String name, Map<String, String> data) {
        Map<String, String> encoded = new java.util.HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        cluster.client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withData(encoded).build()).createOr(op -> op.update());
    }

    private static Deployment deployment(String ns, String name) {
        return cluster.client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private static ArkAgent agent(String ns, String name) {
        return cluster.client.resources(ArkAgent.class).inNamespace(ns).withName(name).get();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static int indexOf(Container c, String name) {
        return c.getEnv().stream().map(EnvVar::getName).toList().indexOf(name);
    }

    private static String configHash(String ns, String name) {
        return deployment(ns, name).getSpec().getTemplate().getMetadata().getAnnotations().get("arkonis.dev/config-hash");
    }

    @Test
    void theDeploymentHonoursThePodContract() throws Exception {
        secret("agents", "prompts", Map.of("system", PROMPT_SECRET_TEXT));
        secret("agents", "mcp-auth", Map.of("token", HEADER_SECRET_TEXT));
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: solo, namespace: agents}
                spec:
                  model: claude-sonnet-4-20250514
                  systemPrompt: ignored because the ref wins
                  systemPromptRef:
                    secretKeyRef: {name: prompts, key: system}
                  env:
                    - {name: ARK_LOG_FORMAT, value: "json"}
                  envFrom:
                    - configMapRef: {name: extra-settings}
                  limits: {maxTokensPerCall: 1000, maxDailyTokens: 500000}
                  mcpServers:
                    - name: search
                      url: http://search:8080/mcp
                      headers:
                        - name: Authorization
                          secretKeyRef: {name: mcp-auth, key: token}
                        - {name: X-Tenant, value: "acme$1"}
                  tools:
                    - {name: lookup, url: "http://lookup/q", inputSchema: '{"type":"object"}'}
                """, ArkAgent.class);

        Deployment d = eventually().until(() -> deployment("agents", "solo"), java.util.Objects::nonNull);
        ArkAgent agent = agent("agents", "solo");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ArkAgent");
            assertThat(o.getUid()).isEqualTo(agent.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Ark.LABEL_AGENT, "solo").containsEntry(Ark.LABEL_MANAGED_BY, "ark")
                .doesNotContainKeys(Ark.LABEL_TEAM, Ark.LABEL_ROLE);
        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/arkonis-dev/ark:test");
        assertThat(c.getArgs()).containsExactly("agent");

        Map<String, String> literal = new java.util.HashMap<>();
        c.getEnv().stream().filter(e -> e.getValueFrom() == null).forEach(e -> literal.put(e.getName(), e.getValue()));
        assertThat(literal).containsEntry("AGENT_MODEL", "claude-sonnet-4-20250514")
                .containsEntry("AGENT_PROVIDER", "anthropic")
                .containsEntry("TASK_QUEUE_URL", "redis://redis.ark-system:6379")
                .containsEntry("AGENT_QUEUE", "agents.solo")
                .containsEntry("AGENT_NAMESPACE", "agents").containsEntry("AGENT_NAME", "solo")
                .containsEntry("AGENT_TEAM_NAME", "").containsEntry("AGENT_TEAM_ROLE", "")
                .containsEntry("AGENT_MAX_TOKENS", "1000").containsEntry("AGENT_TIMEOUT_SECONDS", "120")
                .containsEntry("AGENT_MAX_CONCURRENT_TASKS", "5").containsEntry("AGENT_DAILY_TOKEN_LIMIT", "500000")
                .containsEntry("ARK_LOG_FORMAT", "json")
                .containsKeys("AGENT_MCP_SERVERS", "AGENT_WEBHOOK_TOOLS");
        assertThat(env(c, "POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(c, "AGENT_SYSTEM_PROMPT").getValue()).isNull();
        assertThat(env(c, "AGENT_SYSTEM_PROMPT").getValueFrom().getSecretKeyRef().getName()).isEqualTo("prompts");
        assertThat(env(c, "AGENT_SYSTEM_PROMPT").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("system");
        assertThat(env(c, "ARK_MCP_0_HEADER_0").getValueFrom().getSecretKeyRef().getName()).isEqualTo("mcp-auth");
        assertThat(indexOf(c, "ARK_MCP_0_HEADER_0")).isLessThan(indexOf(c, "AGENT_MCP_SERVERS"));
        assertThat(literal.get("AGENT_MCP_SERVERS")).contains("\"$(ARK_MCP_0_HEADER_0)\"");
        JsonNode tools = new ObjectMapper().readTree(literal.get("AGENT_WEBHOOK_TOOLS"));
        assertThat(tools.get(0).get("name").asText()).isEqualTo("lookup");
        assertThat(tools.get(0).get("method").asText()).isEqualTo("POST");

        // API keys only by reference to the mirrored Secret, last, with the endpoint they go to; the role's envFrom kept
        assertThat(c.getEnvFrom()).singleElement()
                .satisfies(f -> assertThat(f.getConfigMapRef().getName()).isEqualTo("extra-settings"));
        assertThat(env(c, "OPENAI_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("ark-operator.api-keys");
        assertThat(env(c, "OPENAI_API_KEY").getValueFrom().getSecretKeyRef().getOptional()).isFalse();
        assertThat(literal).containsEntry("OPENAI_BASE_URL", "https://api.openai.com/v1")
                .containsEntry("JAVA_TOOL_OPTIONS", "").doesNotContainKeys("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL");
        assertThat(indexOf(c, "OPENAI_API_KEY")).isGreaterThan(indexOf(c, "ARK_LOG_FORMAT"));

        // probes, security, resources default, writable /tmp
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
        assertThat(pod.getImagePullSecrets()).extracting(io.fabric8.kubernetes.api.model.LocalObjectReference::getName)
                .containsExactly("registry-a", "registry-b");
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());

        // no secret value, in clear or base64, anywhere in the Deployment
        String whole = Serialization.asYaml(d);
        for (String secret : List.of(PROMPT_SECRET_TEXT, HEADER_SECRET_TEXT, API_KEY)) {
            assertThat(whole).doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        }

        // what the container sees once the kubelet has resolved references and $(VAR)s
        eventually().until(() -> cluster.client.secrets().inNamespace("agents").withName("ark-operator.api-keys").get() != null);
        cluster.client.resource(new ConfigMapBuilder().withNewMetadata().withName("extra-settings").withNamespace("agents")
                .endMetadata().withData(Map.of("LOG_FORMAT", "json")).build()).create();
        Map<String, String> seen = KubeletEnv.resolve(cluster.client, "agents", c, "solo-abc12");
        assertThat(seen).containsEntry("OPENAI_API_KEY", API_KEY).containsEntry("POD_NAME", "solo-abc12")
                .containsEntry("AGENT_SYSTEM_PROMPT", PROMPT_SECRET_TEXT).containsEntry("LOG_FORMAT", "json");
        JsonNode servers = new ObjectMapper().readTree(seen.get("AGENT_MCP_SERVERS"));
        assertThat(servers.get(0).get("url").asText()).isEqualTo("http://search:8080/mcp");
        assertThat(servers.get(0).get("headers").get(0).get("value").asText()).isEqualTo(HEADER_SECRET_TEXT);
        assertThat(servers.get(0).get("headers").get(1).get("value").asText()).isEqualTo("acme$1");
    }

    @Test
    void anMcpOAuthClientsSecretAndKeyReachThePodOnlyByReference() throws Exception {
        String clientSecret = "oauth-client-secret-9f8e7d";
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        secret("oauth", "wiki-oauth", Map.of("secret", clientSecret));
        secret("oauth", "jira-oauth", Map.of("key.pem", pem));
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: clients, namespace: oauth}
                spec:
                  model: gpt-4o
                  mcpServers:
                    - name: wiki
                      url: https://wiki.example.com/mcp
                      auth:
                        clientCredentials:
                          clientId: ark-agents
                          clientSecretRef: {name: wiki-oauth, key: secret}
                          scopes: [wiki.read, "$(not-a-var)"]
                          authorizationServer: https://login.example.com/realms/corp
                    - name: jira
                      url: https://jira.example.com/mcp
                      auth:
                        clientCredentials:
                          clientId: ark-jira
                          privateKeyRef: {name: jira-oauth, key: key.pem}
                          tokenEndpointAuthMethod: private_key_jwt
                """, ArkAgent.class);
        eventually().until(() -> deployment("oauth", "clients") != null);
        Deployment d = deployment("oauth", "clients");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(c, "ARK_MCP_0_CLIENT_SECRET").getValueFrom().getSecretKeyRef().getName()).isEqualTo("wiki-oauth");
        assertThat(env(c, "ARK_MCP_0_CLIENT_SECRET").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret");
        assertThat(env(c, "ARK_MCP_1_PRIVATE_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("jira-oauth");
        String whole = Serialization.asYaml(d);
        for (String secret : List.of(clientSecret, pem.lines().skip(1).findFirst().orElseThrow())) {
            assertThat(whole).doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        }

        // the agent finds the client's settings in AGENT_MCP_SERVERS and its secret and key where the kubelet put them
        Map<String, String> seen = KubeletEnv.resolve(cluster.client, "oauth", c, "clients-abc12");
        List<dev.arkonis.ark.api.McpServerSpec> servers = dev.arkonis.ark.llm.mcp.McpConnector.parse(seen.get("AGENT_MCP_SERVERS"));
        dev.arkonis.ark.llm.mcp.auth.ClientCredentials wiki = dev.arkonis.ark.llm.mcp.auth.ClientCredentials.of(
                servers.get(0).auth().clientCredentials(), seen::get, dev.arkonis.ark.api.AgentEnv.mcpClientSecret(0),
                dev.arkonis.ark.api.AgentEnv.mcpPrivateKey(0));
        assertThat(wiki.clientId()).isEqualTo("ark-agents");
        assertThat(wiki.secret()).isEqualTo(clientSecret);
        assertThat(wiki.scopes()).containsExactly("wiki.read", "$(not-a-var)");
        assertThat(wiki.authorizationServer()).isEqualTo("https://login.example.com/realms/corp");
        assertThat(wiki.toString()).doesNotContain(clientSecret);
        dev.arkonis.ark.llm.mcp.auth.ClientCredentials jira = dev.arkonis.ark.llm.mcp.auth.ClientCredentials.of(
                servers.get(1).auth().clientCredentials(), seen::get, dev.arkonis.ark.api.AgentEnv.mcpClientSecret(1),
                dev.arkonis.ark.api.AgentEnv.mcpPrivateKey(1));
        assertThat(jira.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(jira.method()).isEqualTo(dev.arkonis.ark.api.McpClientCredentials.AuthMethod.PRIVATE_KEY_JWT);

        // a rotated client secret reaches running agents: the pods roll
        String before = configHash("oauth", "clients");
        secret("oauth", "wiki-oauth", Map.of("secret", "rotated-secret"));
        eventually().untilAsserted(() -> assertThat(configHash("oauth", "clients")).isNotEqualTo(before));
    }

    @Test
    void changingAReferencedConfigMapRollsThePods() {
        cluster.client.resource(new ConfigMapBuilder().withNewMetadata().withName("prompts").withNamespace("cm")
                .endMetadata().withData(Map.of("system", "You are helpful.")).build()).create();
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: helper, namespace: cm}
                spec:
                  model: gpt-4o
                  systemPromptRef:
                    configMapKeyRef: {name: prompts, key: system}
                """, ArkAgent.class);
        eventually().until(() -> deployment("cm", "helper") != null);
        Container c = deployment("cm", "helper").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(c, "AGENT_SYSTEM_PROMPT").getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("prompts");
        String before = configHash("cm", "helper");
        assertThat(before).isNotBlank();

        cluster.client.configMaps().inNamespace("cm").withName("prompts").edit(cm -> {
            cm.setData(Map.of("system", "You are terse."));
            return cm;
        });
        eventually().untilAsserted(() -> assertThat(configHash("cm", "helper")).isNotEqualTo(before));
    }

    @Test
    void theArkSettingsAnAgentListsReachItsPodsMergedInOrderAndFollowTheirChanges() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkSettings
                metadata: {name: house-style, namespace: styled}
                spec:
                  temperature: "0.2"
                  outputFormat: markdown
                  promptFragments: {persona: "You are an analyst.", outputRules: "Cite sources."}
                """, dev.arkonis.ark.api.ArkSettings.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: writer, namespace: styled}
                spec:
                  model: gpt-4o
                  settingsRefs: [{name: house-style}, {name: cold}]
                """, ArkAgent.class);
        eventually().untilAsserted(() -> {
            Container c = deployment("styled", "writer").getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c, "AGENT_TEMPERATURE").getValue()).isEqualTo("0.2");
            assertThat(env(c, "AGENT_OUTPUT_FORMAT").getValue()).isEqualTo("markdown");
            assertThat(env(c, "AGENT_PERSONA").getValue()).isEqualTo("You are an analyst.");
            assertThat(env(c, "AGENT_OUTPUT_RULES").getValue()).isEqualTo("Cite sources.");
        });

        // the second one, created later, is merged after the first: its temperature wins
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkSettings
                metadata: {name: cold, namespace: styled}
                spec: {temperature: "0.0"}
                """, dev.arkonis.ark.api.ArkSettings.class);
        eventually().untilAsserted(() -> {
            Container c = deployment("styled", "writer").getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c, "AGENT_TEMPERATURE").getValue()).isEqualTo("0.0");
            assertThat(env(c, "AGENT_PERSONA").getValue()).isEqualTo("You are an analyst.");
        });
    }

    @Test
    void changingAReferencedSecretRollsThePodsAndAnUnrelatedOneDoesNot() {
        secret("sec", "mcp-auth", Map.of("token", "Bearer one"));
        secret("sec", "unrelated", Map.of("x", "1"));
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: caller, namespace: sec}
                spec:
                  model: gpt-4o
                  mcpServers:
                    - name: search
                      url: http://search:8080/mcp
                      headers: [{name: Authorization, secretKeyRef: {name: mcp-auth, key: token}}]
                """, ArkAgent.class);
        eventually().until(() -> deployment("sec", "caller") != null);
        String before = configHash("sec", "caller");

        secret("sec", "unrelated", Map.of("x", "2"));
        secret("sec", "mcp-auth", Map.of("token", "Bearer one"));
        // two rechecks (one second apart) later, nothing the agent reads has changed
        long generation = deployment("sec", "caller").getMetadata().getGeneration();
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(2500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> configHash("sec", "caller").equals(before)
                        && deployment("sec", "caller").getMetadata().getGeneration() == generation);

        secret("sec", "mcp-auth", Map.of("token", "Bearer two"));
        eventually().untilAsserted(() -> assertThat(configHash("sec", "caller")).isNotEqualTo(before));
    }

    @Test
    void theApiKeySecretIsMirroredAndFollowsItsSource() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: keyed, namespace: mirror}
                spec: {model: gpt-4o}
                """, ArkAgent.class);
        eventually().untilAsserted(() -> {
            Secret copy = cluster.client.secrets().inNamespace("mirror").withName("ark-operator.api-keys").get();
            assertThat(copy.getMetadata().getLabels()).containsEntry(Ark.LABEL_MANAGED_BY, "ark");
            assertThat(copy.getData()).isEqualTo(cluster.client.secrets().inNamespace("ark-system").withName("llm-keys").get().getData());
        });
        eventually().until(() -> deployment("mirror", "keyed") != null);
        String before = configHash("mirror", "keyed");

        secret("ark-system", "llm-keys", Map.of("OPENAI_API_KEY", "sk-rotated", "ANTHROPIC_API_KEY", "sk-ant-new"));
        eventually().untilAsserted(() -> {
            Secret copy = cluster.client.secrets().inNamespace("mirror").withName("ark-operator.api-keys").get();
            assertThat(copy.getData()).containsOnlyKeys("OPENAI_API_KEY", "ANTHROPIC_API_KEY");
            assertThat(new String(Base64.getDecoder().decode(copy.getData().get("OPENAI_API_KEY")))).isEqualTo("sk-rotated");
            // rotated keys reach running agents: the pods roll
            assertThat(configHash("mirror", "keyed")).isNotEqualTo(before);
        });
    }

    @Test
    void agentsCreatedAtOnceShareOneApiKeyCopyWithoutAFailedReconcile() {
        List<String> names = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "role-" + i).toList();
        names.parallelStream().forEach(name -> cluster.client.resource(cluster.client.resources(ArkAgent.class).load(
                new java.io.ByteArrayInputStream("""
                        apiVersion: arkonis.dev/v1alpha1
                        kind: ArkAgent
                        metadata: {name: %s, namespace: at-once}
                        spec: {model: gpt-4o}
                        """.formatted(name).getBytes(StandardCharsets.UTF_8))).item()).create());
        eventually().untilAsserted(() -> assertThat(cluster.client.secrets().inNamespace("at-once")
                .withName("ark-operator.api-keys").get().getMetadata().getOwnerReferences())
                .extracting(o -> o.getName()).containsExactlyInAnyOrderElementsOf(names));
        assertThat(names).allSatisfy(name -> assertThat(deployment("at-once", name)).isNotNull());
        // the copy's create raced another agent's: it joins the copy's owners instead of failing
        assertThat(cluster.client.v1().events().inNamespace("at-once").list().getItems())
                .extracting(e -> e.getReason() + ": " + e.getMessage())
                .noneMatch(e -> e.startsWith(ReconcileErrors.REASON));
    }

    @Test
    void theApiKeyCopyIsOwnedByEveryAgentOfItsNamespaceSoTheGarbageCollectorRemovesItWithTheLast() {
        for (String name : List.of("first", "second")) {
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: %s, namespace: owners}
                    spec: {model: gpt-4o}
                    """.formatted(name), ArkAgent.class);
        }
        String first = agent("owners", "first").getMetadata().getUid();
        String second = agent("owners", "second").getMetadata().getUid();
        eventually().untilAsserted(() -> assertThat(cluster.client.secrets().inNamespace("owners")
                .withName("ark-operator.api-keys").get().getMetadata().getOwnerReferences())
                .extracting(o -> o.getKind(), o -> o.getUid(), o -> o.getController())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ArkAgent", first, false),
                        org.assertj.core.groups.Tuple.tuple("ArkAgent", second, false)));

        // an owner that is gone is dropped the next time the copy is kept, so only live agents hold it
        cluster.client.resources(ArkAgent.class).inNamespace("owners").withName("first").delete();
        eventually().until(() -> agent("owners", "first") == null);
        cluster.client.resources(ArkAgent.class).inNamespace("owners").withName("second")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        eventually().untilAsserted(() -> assertThat(cluster.client.secrets().inNamespace("owners")
                .withName("ark-operator.api-keys").get().getMetadata().getOwnerReferences())
                .extracting(o -> o.getUid()).containsExactly(second));
    }

    @Test
    void statusFollowsTheDeploymentAndScalingChangesIt() {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: pool, namespace: scale}
                spec: {model: gpt-4o, replicas: 2}
                """, ArkAgent.class);
        eventually().untilAsserted(() -> {
            ArkAgent agent = agent("scale", "pool");
            assertThat(agent.getStatus().replicas()).isEqualTo(2);
            assertThat(agent.getStatus().readyReplicas()).isZero();
            assertThat(agent.getStatus().queue()).isEqualTo("scale.pool");
            assertThat(agent.getStatus().observedGeneration()).isEqualTo(agent.getMetadata().getGeneration());
            assertThat(agent.getStatus().conditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement().satisfies(cond -> {
                assertThat(cond.getType()).isEqualTo("Ready");
                assertThat(cond.getStatus()).isEqualTo("False");
            });
        });

        cluster.setReady("scale", "pool", 1);
        eventually().untilAsserted(() -> {
            ArkAgent agent = agent("scale", "pool");
            assertThat(agent.getStatus().readyReplicas()).isEqualTo(1);
            assertThat(agent.getStatus().conditions()).filteredOn(c -> c.getType().equals("Ready"))
                    .singleElement().extracting(c -> c.getStatus()).isEqualTo("True");
            assertThat(agent.getStatus().conditions()).filteredOn(c -> c.getType().equals("BudgetExceeded"))
                    .singleElement().satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("NoBudget");
                    });
        });

        // what `kubectl scale arkagent pool --replicas=3` does through the scale subresource
        cluster.client.resources(ArkAgent.class).inNamespace("scale").withName("pool")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        eventually().untilAsserted(() -> {
            assertThat(deployment("scale", "pool").getSpec().getReplicas()).isEqualTo(3);
            assertThat(agent("scale", "pool").getStatus().replicas()).isEqualTo(3);
        });
    }
}
