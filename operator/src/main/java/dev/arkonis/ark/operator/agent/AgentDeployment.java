package dev.arkonis.ark.operator.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.api.PromptRef;
import dev.arkonis.ark.api.WebhookTool;
import dev.arkonis.ark.llm.models.ModelChains;
import dev.arkonis.ark.llm.models.ModelProfile;
import dev.arkonis.ark.llm.ModelSettings;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.TeamMembership;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds an ArkAgent's Deployment of agent pods: the pod contract lives here and nowhere else. */
public final class AgentDeployment {
    public static final String CONFIG_HASH_ANNOTATION = "arkonis.dev/config-hash";
    public static final int HEALTH_PORT = 8080;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the Deployment is built from besides the agent itself.
     *
     * @param queue          the stream key the agents consume
     * @param membership     the owning team and role, if any
     * @param replicas       pods to run (spec, or 0 under an exhausted budget)
     * @param configHash     fingerprint of the ConfigMap/Secret data the pods read; changing it rolls the pods
     * @param organisationKeys the organisation's keys in the agent's namespace, when the agent runs with them
     * @param models         the agent's chain of models, resolved from its namespace's ArkModels and the table
     * @param settings       what the ArkSettings the agent lists put into its model calls
     */
    public record Inputs(String queue, Optional<TeamMembership> membership, int replicas, String configHash,
            Optional<ProviderKeyEnv.Organisation> organisationKeys, ModelChains.Chain models, ModelSettings settings) {
        public Inputs(String queue, Optional<TeamMembership> membership, int replicas, String configHash,
                      Optional<ProviderKeyEnv.Organisation> organisationKeys, ModelChains.Chain models) {
            this(queue, membership, replicas, configHash, organisationKeys, models, ModelSettings.NONE);
        }
    }

    private final OperatorConfig config;

    public AgentDeployment(OperatorConfig config) {
        this.config = config;
    }

    public Deployment desired(ArkAgent agent, Inputs in) {
        String name = agent.getMetadata().getName();
        Map<String, String> selector = Map.of(Ark.LABEL_AGENT, name, Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY);
        Map<String, String> labels = new LinkedHashMap<>(selector);
        in.membership().ifPresent(m -> {
            labels.put(Ark.LABEL_TEAM, m.team());
            labels.put(Ark.LABEL_ROLE, m.role());
        });
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(agent.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(agent.getApiVersion())
                            .withKind(agent.getKind()).withName(name).withUid(agent.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                    .withReplicas(in.replicas())
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                            .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, in.configHash()))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(65532L)
                                .withRunAsGroup(65532L)
                                .withFsGroup(65532L)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withContainers(container(agent, in))
                            // the agent image comes from the same registry as the operator's, with the same credentials
                            .withImagePullSecrets(config.agentImagePullSecrets().stream().sorted()
                                    .map(LocalObjectReference::new).toList())
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private Container container(ArkAgent agent, Inputs in) {
        AgentSpec spec = agent.getSpec();
        return new ContainerBuilder()
                .withName("agent")
                .withImage(config.agentImage())
                .withArgs("agent")
                .withEnv(env(agent, in))
                .withEnvFrom(envFrom(spec))
                .addNewPort().withName("http").withContainerPort(HEALTH_PORT).withProtocol("TCP").endPort()
                .withLivenessProbe(probe("/healthz", 10))
                .withReadinessProbe(probe("/readyz", 5))
                .withResources(resources(spec))
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    /**
     * The namespace's own keys first, then the role's env, then ours, then the organisation's keys: on a duplicate
     * name the later entry wins (the earlier one is left out), keeping the contract. The role's env cannot read what comes after it through
     * {@code $(VAR)}, and entries of the names the organisation's keys set are left out of it.
     */
    private List<EnvVar> env(ArkAgent agent, Inputs in) {
        AgentSpec spec = agent.getSpec();
        AgentLimits limits = spec.effectiveLimits();
        List<EnvVar> env = new ArrayList<>(spec.hasOwnKeys() ? ProviderKeyEnv.own(spec.apiKeys()) : List.of());
        Set<String> pinned = in.organisationKeys().map(ProviderKeyEnv::pinned).orElse(Set.of());
        // a model's own keys are ours to set, never the role's
        (spec.env() == null ? List.<EnvVar>of() : spec.env()).stream().filter(e -> !pinned.contains(e.getName())
                        && (e.getName() == null || !e.getName().startsWith(AgentEnv.MODEL_KEYS_PREFIX)))
                .forEach(env::add);
        ModelProfile first = in.models().first();
        env.add(literal(AgentEnv.MODEL, first.model()));
        env.add(literal(AgentEnv.PROVIDER, first.provider().wireName()));
        env.add(literal(AgentEnv.MODELS, toJson(in.models().models())));
        for (int i = 0; i < in.models().models().size(); i++) {
            String secret = in.models().keySecrets().get(i);
            if (secret != null) {
                String prefix = AgentEnv.modelKeyPrefix(i);
                AgentEnv.PROVIDER_KEYS.forEach(key -> env.add(new EnvVarBuilder().withName(prefix + key)
                        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).withOptional(true)
                        .endSecretKeyRef().endValueFrom().build()));
            }
        }
        // the URL only: the agent's own Redis user and password come from its Secret, never as literals
        env.add(literal(AgentEnv.TASK_QUEUE_URL, config.taskQueue().withoutCredentials()));
        String credentials = QueueCredentialsDependent.secretName(agent.getMetadata().getName());
        env.add(secretValue(AgentEnv.TASK_QUEUE_USERNAME, credentials, QueueCredentialsDependent.USERNAME));
        env.add(secretValue(AgentEnv.TASK_QUEUE_PASSWORD, credentials, QueueCredentialsDependent.PASSWORD));
        if (config.taskQueue().sentinelPassword().isPresent()) {
            env.add(secretValue(AgentEnv.TASK_QUEUE_SENTINEL_PASSWORD, credentials,
                    QueueCredentialsDependent.SENTINEL_PASSWORD));
        }
        env.add(literal(AgentEnv.QUEUE, in.queue()));
        env.add(literal(AgentEnv.NAMESPACE, agent.getMetadata().getNamespace()));
        env.add(literal(AgentEnv.NAME, agent.getMetadata().getName()));
        env.add(literal(AgentEnv.TEAM_NAME, in.membership().map(TeamMembership::team).orElse("")));
        env.add(literal(AgentEnv.TEAM_ROLE, in.membership().map(TeamMembership::role).orElse("")));
        env.add(literal(AgentEnv.MAX_TOKENS, String.valueOf(limits.effectiveMaxTokensPerCall())));
        env.add(literal(AgentEnv.TIMEOUT_SECONDS, String.valueOf(limits.effectiveTimeoutSeconds())));
        env.add(literal(AgentEnv.MAX_CONCURRENT_TASKS, String.valueOf(limits.effectiveMaxConcurrentTasks())));
        env.add(literal(AgentEnv.DAILY_TOKEN_LIMIT, String.valueOf(config.maxDailyTokens(spec))));
        BigDecimal costLimit = config.budgetOf(spec).costLimit();
        if (costLimit != null) {
            env.add(literal(AgentEnv.DAILY_COST_LIMIT, costLimit.toPlainString()));
        }
        if (!config.budgetWindow().equals(OperatorConfig.DAY)) {
            env.add(literal(AgentEnv.BUDGET_WINDOW_SECONDS, String.valueOf(config.budgetWindow().toSeconds())));
        }
        env.add(new EnvVarBuilder().withName(AgentEnv.POD_NAME)
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(systemPrompt(spec));
        in.settings().env().forEach((name, value) -> env.add(literal(name, value)));
        env.addAll(mcpServers(spec, env));
        env.add(literal(AgentEnv.WEBHOOK_TOOLS, toJson(tools(spec))));
        // always set, so a role's own env cannot lift the guard of its tools
        new TreeMap<>(config.egress().agentEnv()).forEach((name, value) -> env.add(literal(name, value)));
        if (!config.agentTelemetry().isEmpty()) {
            config.agentTelemetry().forEach((name, value) -> env.add(literal(name, value)));
            env.add(literal("OTEL_SERVICE_NAME", "ark-agent"));
        }
        in.organisationKeys().ifPresent(org -> env.addAll(ProviderKeyEnv.organisation(org)));
        return lastOfEachName(env);
    }

    /** Server-side apply refuses an env naming a variable twice: only the later entry, the one that wins, is kept. */
    private static List<EnvVar> lastOfEachName(List<EnvVar> env) {
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        env.forEach(e -> {
            byName.remove(e.getName());
            byName.put(e.getName(), e);
        });
        return new ArrayList<>(byName.values());
    }

    /** The ref wins over the literal; a ref is read by the kubelet, so a Secret's prompt never lands here. */
    private static EnvVar systemPrompt(AgentSpec spec) {
        PromptRef ref = spec.systemPromptRef();
        EnvVarBuilder var = new EnvVarBuilder().withName(AgentEnv.SYSTEM_PROMPT);
        if (ref != null && ref.configMapKeyRef() != null) {
            return var.withNewValueFrom().withConfigMapKeyRef(ref.configMapKeyRef()).endValueFrom().build();
        }
        if (ref != null && ref.secretKeyRef() != null) {
            return var.withNewValueFrom().withSecretKeyRef(ref.secretKeyRef()).endValueFrom().build();
        }
        return var.withValue(escape(spec.systemPrompt() == null ? "" : spec.systemPrompt())).build();
    }

    /**
     * Header values from Secrets become env vars read by the kubelet, declared before AGENT_MCP_SERVERS whose JSON
     * names them as {@code $(VAR)}: the kubelet expands the reference at container start.
     */
    private static List<EnvVar> mcpServers(AgentSpec spec, List<EnvVar> earlier) {
        List<EnvVar> vars = new ArrayList<>();
        ArrayNode servers = JSON.createArrayNode();
        List<McpServerSpec> list = spec.mcpServers() == null ? List.of() : spec.mcpServers();
        for (int i = 0; i < list.size(); i++) {
            McpServerSpec server = list.get(i);
            ObjectNode node = servers.addObject().put("name", escape(server.name())).put("url", escape(server.url()));
            List<McpHeader> headers = server.headers() == null ? List.of() : server.headers();
            if (!headers.isEmpty()) {
                ArrayNode headerNodes = node.putArray("headers");
                for (int j = 0; j < headers.size(); j++) {
                    McpHeader header = headers.get(j);
                    String value;
                    if (header.secretKeyRef() != null) {
                        String var = "ARK_MCP_" + i + "_HEADER_" + j;
                        vars.add(secretVar(var, header.secretKeyRef()));
                        value = "$(" + var + ")";
                    } else {
                        value = escape(header.value() == null ? "" : header.value());
                    }
                    headerNodes.addObject().put("name", escape(header.name())).put("value", value);
                }
            }
            if (server.guidance() != null) {
                node.put("guidance", escape(server.guidance()));
            }
            if (server.auth() != null && server.auth().clientCredentials() != null) {
                clientCredentials(server.auth().clientCredentials(), i, node.putObject("auth"), vars);
            }
        }
        vars.add(new EnvVar(AgentEnv.MCP_SERVERS, toJson(servers), null));
        return vars;
    }

    /**
     * The client's settings go into AGENT_MCP_SERVERS; its secret or private key only into a variable the kubelet
     * fills from the Secret, which the agent reads by the name {@link AgentEnv} gives server {@code index}.
     */
    private static void clientCredentials(McpClientCredentials credentials, int index, ObjectNode auth, List<EnvVar> vars) {
        ObjectNode node = auth.putObject("clientCredentials").put("clientId", escape(credentials.clientId()));
        if (credentials.clientSecretRef() != null) {
            vars.add(secretVar(AgentEnv.mcpClientSecret(index), credentials.clientSecretRef()));
            keyRef(node.putObject("clientSecretRef"), credentials.clientSecretRef());
        }
        if (credentials.privateKeyRef() != null) {
            vars.add(secretVar(AgentEnv.mcpPrivateKey(index), credentials.privateKeyRef()));
            keyRef(node.putObject("privateKeyRef"), credentials.privateKeyRef());
        }
        if (credentials.scopes() != null) {
            ArrayNode scopes = node.putArray("scopes");
            credentials.scopes().forEach(scope -> scopes.add(escape(scope)));
        }
        if (credentials.tokenEndpointAuthMethod() != null) {
            node.put("tokenEndpointAuthMethod", credentials.tokenEndpointAuthMethod().wireName());
        }
        if (credentials.authorizationServer() != null) {
            node.put("authorizationServer", escape(credentials.authorizationServer()));
        }
    }

    private static EnvVar secretVar(String name, SecretKeySelector ref) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withSecretKeyRef(ref).endValueFrom().build();
    }

    /** Which Secret key it is, for the agent's messages; never the value. */
    private static void keyRef(ObjectNode node, SecretKeySelector ref) {
        node.put("name", escape(ref.getName() == null ? "" : ref.getName())).put("key", escape(ref.getKey() == null ? "" : ref.getKey()));
    }

    private static ArrayNode tools(AgentSpec spec) {
        ArrayNode tools = JSON.createArrayNode();
        for (WebhookTool tool : spec.tools() == null ? List.<WebhookTool>of() : spec.tools()) {
            ObjectNode node = tools.addObject().put("name", escape(tool.name()));
            if (tool.description() != null) {
                node.put("description", escape(tool.description()));
            }
            node.put("url", escape(tool.url())).put("method", tool.effectiveMethod().name());
            if (tool.inputSchema() != null) {
                node.put("inputSchema", escape(tool.inputSchema()));
            }
        }
        return tools;
    }

    /** The role's own: provider keys are env entries, which win over anything envFrom sets. */
    private static List<EnvFromSource> envFrom(AgentSpec spec) {
        return spec.envFrom() == null ? List.of() : spec.envFrom();
    }

    private ResourceRequirements resources(AgentSpec spec) {
        if (spec.resources() != null) {
            return spec.resources();
        }
        return config.agentResources().orElse(null);
    }

    private static Probe probe(String path, int period) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period).withTimeoutSeconds(2).withFailureThreshold(3).build();
    }

    private static EnvVar secretValue(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .withOptional(false).endSecretKeyRef().endValueFrom().build();
    }

    private static EnvVar literal(String name, String value) {
        return new EnvVar(name, escape(value), null);
    }

    /** The kubelet expands {@code $(VAR)} in every env value and turns {@code $$} into {@code $}: doubling keeps text literal. */
    static String escape(String value) {
        return value == null ? null : value.replace("$", "$$");
    }

    private static String toJson(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write agent settings as JSON", e);
        }
    }
}
