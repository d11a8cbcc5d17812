package dev.arkonis.ark.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.queue.RedisEndpoint;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import dev.arkonis.ark.telemetry.Telemetry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the operator is configured with, read once from the environment (the Helm chart sets it).
 *
 * @param taskQueue          the operator's Redis ({@code TASK_QUEUE_URL}, {@code TASK_QUEUE_USERNAME},
 *                           {@code TASK_QUEUE_PASSWORD}); agents are told its URL only, never these credentials
 * @param agentImage         image of agent pods ({@code AGENT_IMAGE})
 * @param operatorNamespace  namespace of the operator: its Lease and the API-key Secret live there
 * @param apiKeysSecret      Secret of API keys in the operator namespace, mirrored next to agents; empty = none
 * @param apiKeysNamespaces  the only namespaces whose agents get the organisation's keys ({@code API_KEYS_NAMESPACES});
 *                           empty = every namespace ark watches
 * @param agentResources     requests/limits of agent pods whose role sets none; empty = none
 * @param watchNamespaces    namespaces to reconcile; empty = all
 * @param leaderElection     whether to hold the {@code ark-operator} Lease before reconciling
 * @param healthPort         port of {@code /healthz}, {@code /readyz}, {@code /metrics}
 * @param agentTelemetry     the operator's OTLP settings passed on to agent pods (endpoint, protocol, content capture);
 *                           empty = agents trace nothing
 * @param budgetWindow       the rolling budget window: 24 h (BUDGET_WINDOW_SECONDS shortens it only for tests)
 * @param podName            this replica's name: its consumer name on the result streams and its Lease identity
 * @param outputLimit        bytes of one step's output kept in a run's status ({@code RUN_OUTPUT_LIMIT_BYTES})
 * @param statusOutputBudget bytes of all of a run's outputs kept in its status ({@code RUN_STATUS_OUTPUT_BUDGET_BYTES})
 * @param resultClaimIdle    how long a result read but not acknowledged by an operator that died waits before this one
 *                           takes it over ({@code RESULT_CLAIM_IDLE_SECONDS})
 * @param agentImagePullSecrets Secrets agent pods pull their image with ({@code AGENT_IMAGE_PULL_SECRETS}, names,
 *                           comma-separated; the chart passes its {@code imagePullSecrets})
 * @param serverSideApply    status patches and owned objects by server-side apply, as JOSDK defaults to
 *                           ({@code SERVER_SIDE_APPLY}; false only for API servers that cannot apply, as fabric8's mock)
 * @param reconcileThreads   reconciles at once, and dependents applied at once ({@code RECONCILE_THREADS}); a
 *                           reconcile waits on the API server and Redis, not the CPU, and each thread costs memory
 * @param referenceRecheck   how often the ConfigMaps and Secrets agents read by reference are read again by name to
 *                           see whether their data changed ({@code REFERENCE_RECHECK_SECONDS}); nothing watches them
 * @param agentMaxDailyTokens maxDailyTokens of agents that set none ({@code AGENT_MAX_DAILY_TOKENS}); 0 = no budget
 * @param egress             where outbound HTTP on a tenant's behalf may go ({@code ARK_EGRESS_ALLOW}), passed on to
 *                           agent pods
 */
public record OperatorConfig(
        RedisEndpoint taskQueue,
        String agentImage,
        String operatorNamespace,
        Optional<String> apiKeysSecret,
        Set<String> apiKeysNamespaces,
        Optional<ResourceRequirements> agentResources,
        Set<String> watchNamespaces,
        boolean leaderElection,
        int healthPort,
        Map<String, String> agentTelemetry,
        Duration budgetWindow,
        String podName,
        int outputLimit,
        int statusOutputBudget,
        Duration resultClaimIdle,
        Set<String> agentImagePullSecrets,
        boolean serverSideApply,
        int reconcileThreads,
        Duration referenceRecheck,
        long agentMaxDailyTokens,
        EgressPolicy egress) {

    /** The rolling token budget window: a day of spending, however the runs fall. */
    public static final Duration DAY = Duration.ofHours(24);

    public static final String LEASE_NAME = "ark-operator";
    /** JOSDK's default is 50 for each of its two pools; 100 concurrent runs need far fewer (OperatorProcessBench). */
    public static final int DEFAULT_RECONCILE_THREADS = 10;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public OperatorConfig {
        watchNamespaces = Set.copyOf(watchNamespaces);
        apiKeysNamespaces = Set.copyOf(apiKeysNamespaces);
        agentTelemetry = Map.copyOf(agentTelemetry);
        agentImagePullSecrets = Set.copyOf(agentImagePullSecrets);
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }

    /** Whether agents of this namespace may get the organisation's keys (when they bring none of their own). */
    public boolean apiKeysReach(String namespace) {
        return apiKeysSecret.isPresent() && (apiKeysNamespaces.isEmpty() || apiKeysNamespaces.contains(namespace));
    }

    /** The agent's rolling 24h budget: its own maxDailyTokens, else the operator's default; 0 = no budget. */
    public long maxDailyTokens(AgentSpec spec) {
        return spec == null ? 0 : spec.effectiveLimits().effectiveMaxDailyTokens(agentMaxDailyTokens);
    }

    /** Reads the settings; a missing or bad one throws {@link InvalidConfigException} naming it. */
    public static OperatorConfig fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        try {
            return new OperatorConfig(
                    RedisEndpoint.fromSettings(settings),
                    settings.required("AGENT_IMAGE"),
                    settings.required("OPERATOR_NAMESPACE"),
                    settings.optional("API_KEYS_SECRET"),
                    settings.list("API_KEYS_NAMESPACES"),
                    settings.optional("AGENT_RESOURCES").map(OperatorConfig::resources),
                    settings.list("WATCH_NAMESPACES"),
                    settings.bool("LEADER_ELECTION", true),
                    settings.port("HEALTH_PORT", 8080),
                    agentTelemetry(env),
                    settings.seconds("BUDGET_WINDOW_SECONDS", DAY, 1),
                    podName(settings),
                    settings.integer("RUN_OUTPUT_LIMIT_BYTES", 32 * 1024, 1),
                    settings.integer("RUN_STATUS_OUTPUT_BUDGET_BYTES", 512 * 1024, 1024),
                    settings.seconds("RESULT_CLAIM_IDLE_SECONDS", Duration.ofSeconds(15), 1),
                    settings.list("AGENT_IMAGE_PULL_SECRETS"),
                    settings.bool("SERVER_SIDE_APPLY", true),
                    settings.integer("RECONCILE_THREADS", DEFAULT_RECONCILE_THREADS, 1, 200),
                    settings.seconds("REFERENCE_RECHECK_SECONDS", Duration.ofSeconds(60), 1),
                    settings.whole("AGENT_MAX_DAILY_TOKENS", 0, 0),
                    EgressPolicy.forCluster(env));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** OTLP headers are left out: they may hold a token, and agent env is readable in the Deployment. */
    private static final List<String> PASSED_TO_AGENTS = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG", Telemetry.CAPTURE_CONTENT);

    private static Map<String, String> agentTelemetry(Map<String, String> env) {
        Map<String, String> passed = new java.util.TreeMap<>();
        if (env.get("OTEL_EXPORTER_OTLP_ENDPOINT") == null && env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null) {
            return passed;
        }
        for (String name : PASSED_TO_AGENTS) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                passed.put(name, value);
            }
        }
        return passed;
    }

    /** Unique per replica: two replicas with one name would both believe they hold the Lease. */
    private static String podName(Settings settings) {
        String name = settings.firstOf(null, "POD_NAME", "HOSTNAME");
        return name != null ? name : "ark-operator-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static ResourceRequirements resources(String json) {
        ResourceRequirements resources;
        try {
            resources = JSON.readValue(json, ResourceRequirements.class);
        } catch (JsonProcessingException e) {
            // the message quotes our input (resource quantities), never a secret
            throw new InvalidSettingException("AGENT_RESOURCES is not valid JSON: " + e.getOriginalMessage());
        }
        if (resources == null || !resources.getAdditionalProperties().isEmpty()) {
            // the model keeps unknown keys aside instead of failing; a typo such as "limitz" would be silently lost
            throw new InvalidSettingException("AGENT_RESOURCES is not a ResourceRequirements (requests, limits): "
                    + (resources == null ? "null" : "unknown field(s) " + resources.getAdditionalProperties().keySet()));
        }
        return resources;
    }

    /** A setting of the operator is missing or malformed; the message names the setting. */
    public static final class InvalidConfigException extends InvalidSettingException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
