package dev.arkonis.ark.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.operator.run.RunSettings;
import dev.arkonis.ark.operator.shard.Shards;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.models.ModelCatalog;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.TokenBudget;
import java.math.BigDecimal;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import dev.arkonis.ark.telemetry.TelemetryVariables;
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
 * @param serverSideApply    owned objects by server-side apply (as JOSDK defaults to), statuses by merge patch
 *                           ({@code SERVER_SIDE_APPLY}; false only for API servers that cannot apply, as fabric8's mock)
 * @param reconcileThreads   reconciles at once, and dependents applied at once ({@code RECONCILE_THREADS}); a
 *                           reconcile waits on the API server and Redis, not the CPU, and each thread costs memory
 * @param referenceRecheck   how often the ConfigMaps and Secrets agents read by reference are read again by name to
 *                           see whether their data changed ({@code REFERENCE_RECHECK_SECONDS}); nothing watches them
 * @param agentMaxDailyTokens maxDailyTokens of agents that set none ({@code AGENT_MAX_DAILY_TOKENS}); 0 = no budget
 * @param agentMaxDailyCost  maxDailyCost of agents that set none ({@code AGENT_MAX_DAILY_COST}, US dollars); null = none
 * @param budgetWarningPercent the share of a rolling budget at which a BudgetWarning is raised
 *                           ({@code BUDGET_WARNING_PERCENT}, 80); 0 = never
 * @param egress             where outbound HTTP on a tenant's behalf may go ({@code ARK_EGRESS_ALLOW}), passed on to
 *                           agent pods
 * @param modelCatalog       the table of well-known models (context windows, prices, cluster-wide rate limits): the
 *                           jar's, with {@code MODEL_CATALOG} (the chart's table and its {@code modelCatalog} value)
 *                           merged over it
 * @param shards             how many shards the namespaces are split into, one Lease each ({@code SHARDS}; the chart
 *                           sets its {@code replicaCount}); 1 = the single {@code ark-operator} Lease
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
        BigDecimal agentMaxDailyCost,
        int budgetWarningPercent,
        EgressPolicy egress,
        ModelCatalog modelCatalog,
        Shards shards) {

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

    /** The agent's rolling 24h budget, in tokens and in US dollars: its own limits, else the operator's defaults. */
    public TokenBudget budgetOf(AgentSpec spec) {
        return spec == null ? TokenBudget.NONE : new TokenBudget(maxDailyTokens(spec),
                spec.effectiveLimits().effectiveMaxDailyCost(agentMaxDailyCost));
    }

    public static final Setting<String> AGENT_IMAGE = Setting.required("AGENT_IMAGE").chart("agentImage")
            .means("image of the agent pods (the same image, argument `agent`; the chart's `image` unless `agentImage` is set)");
    public static final Setting<String> OPERATOR_NAMESPACE = Setting.required("OPERATOR_NAMESPACE")
            .setBy("the pod's namespace").means("where the API-key Secret and the leader-election Lease live");
    public static final Setting<Optional<String>> API_KEYS_SECRET = Setting.optional("API_KEYS_SECRET")
            .chart("apiKeys.existingSecret")
            .means("the organisation's keys: a Secret (in the operator namespace) with `OPENAI_API_KEY`, `OPENAI_BASE_URL`,"
                    + " `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `AZURE_OPENAI_API_KEY`, `AZURE_OPENAI_ENDPOINT`,"
                    + " `GEMINI_API_KEY`, `GEMINI_BASE_URL` (any of them); those keys are copied into each agent"
                    + " namespace that uses them as `ark-operator.api-keys` and reach agent pods as `secretKeyRef` env"
                    + " entries, each key with its endpoint (see [Keys](#keys))");
    public static final Setting<Set<String>> API_KEYS_NAMESPACES = Setting.list("API_KEYS_NAMESPACES")
            .chart("apiKeys.namespaces")
            .means("namespaces whose agents may get the organisation's keys; empty = every watched namespace");
    public static final Setting<Long> AGENT_MAX_DAILY_TOKENS = Setting.whole("AGENT_MAX_DAILY_TOKENS", 0, 0)
            .chart("agentDefaults.maxDailyTokens")
            .means("`maxDailyTokens` of agents whose role sets none (the chart's default is 1000000); 0 = no budget for them");
    public static final Setting<Optional<ResourceRequirements>> AGENT_RESOURCES = Setting.parsed("AGENT_RESOURCES",
            "JSON ResourceRequirements", (settings, name) -> settings.optional(name).map(OperatorConfig::resources))
            .chart("agentResources").means("requests and limits of agent pods whose role sets none");
    public static final Setting<Set<String>> AGENT_IMAGE_PULL_SECRETS = Setting.list("AGENT_IMAGE_PULL_SECRETS")
            .chart("imagePullSecrets").means("Secrets agent pods pull their image with");
    public static final Setting<Set<String>> WATCH_NAMESPACES = Setting.list("WATCH_NAMESPACES")
            .chart("watchNamespaces").means("namespaces to reconcile; empty = all");
    public static final Setting<Boolean> LEADER_ELECTION = Setting.bool("LEADER_ELECTION", true)
            .chart("leaderElection.enabled")
            .means("hold the Lease `ark-operator` before reconciling, so one replica of several acts");
    public static final Setting<Integer> SHARDS = Setting.integer("SHARDS", 1, 1, 64).chart("replicaCount")
            .means("namespaces are split into this many shards by the CRC-32 of their name; each replica leads the"
                    + " shards whose Lease `ark-operator-shard-<i>` it holds and reconciles only their namespaces (see"
                    + " [Scaling out](#scaling-out)); 1 = one Lease `ark-operator`, as `LEADER_ELECTION` says");
    public static final Setting<Integer> HEALTH_PORT = Setting.port("HEALTH_PORT", 8080)
            .means("port of `/healthz`, `/readyz` and `/metrics` (see [Servers](#servers))");
    public static final Setting<Optional<String>> POD_NAME = Setting.optional(AgentEnv.POD_NAME)
            .setBy("the pod's name").shownDefault("`HOSTNAME`")
            .means("this replica's name: its Lease identity and its consumer name on the result streams");
    public static final Setting<Optional<String>> HOSTNAME = Setting.external("HOSTNAME", "text")
            .setBy("the kubelet").means("this replica's name when `POD_NAME` is not set");
    public static final Setting<Integer> RUN_OUTPUT_LIMIT_BYTES = Setting.integer("RUN_OUTPUT_LIMIT_BYTES",
            RunSettings.DEFAULT_OUTPUT_LIMIT, 1).means("bytes of one step's output kept in a run's status");
    public static final Setting<Integer> RUN_STATUS_OUTPUT_BUDGET_BYTES = Setting.integer(
            "RUN_STATUS_OUTPUT_BUDGET_BYTES", RunSettings.DEFAULT_STATUS_OUTPUT_BUDGET, 1024)
            .means("bytes of all of a run's outputs kept in its status together, so a run stays far below the API"
                    + " server's object size limit however many large outputs it has");
    public static final Setting<Duration> RESULT_CLAIM_IDLE_SECONDS = Setting.seconds("RESULT_CLAIM_IDLE_SECONDS",
            RunSettings.DEFAULT.resultClaimIdle(), 1)
            .means("a result another consumer of the operator's group read and never acknowledged is claimed after"
                    + " this long; a new leader takes over those of the one before at once");
    public static final Setting<Integer> RECONCILE_THREADS = Setting.integer("RECONCILE_THREADS",
            DEFAULT_RECONCILE_THREADS, 1, 200).chart("reconcileThreads")
            .means("reconciles (and dependents applied) at once: reconciles wait on the API server and Redis, and every"
                    + " thread costs memory");
    public static final Setting<Duration> REFERENCE_RECHECK_SECONDS = Setting.seconds("REFERENCE_RECHECK_SECONDS",
            Duration.ofSeconds(60), 1)
            .means("how often the ConfigMaps and Secrets that roles refer to (`systemPromptRef`, MCP header Secrets)"
                    + " are read again by name, to roll the pods of agents whose data changed");
    public static final Setting<Boolean> SERVER_SIDE_APPLY = Setting.bool("SERVER_SIDE_APPLY", true)
            .means("`true`: owned objects (Deployments, the API-key Secret, a team's ArkAgents) are written by"
                    + " server-side apply with JOSDK's field manager, statuses by a merge patch of what changed naming"
                    + " the resource version they were decided from; `false` only for an API server that cannot (the"
                    + " tests' fabric8 mock): then by update");
    public static final Setting<Optional<BigDecimal>> AGENT_MAX_DAILY_COST = Setting.amount("AGENT_MAX_DAILY_COST")
            .chart("agentDefaults.maxDailyCost")
            .means("`maxDailyCost` (US dollars) of agents whose role sets none; unset or 0 = no cost budget for them");
    public static final Setting<Integer> BUDGET_WARNING_PERCENT = Setting.integer("BUDGET_WARNING_PERCENT", 80, 0, 99)
            .chart("agentDefaults.budgetWarningPercent")
            .means("share of a role's `maxDailyTokens` or `maxDailyCost` spent in the rolling 24h at which a"
                    + " `BudgetWarning` Event, condition and ArkNotify event are raised; 0 = never");
    public static final Setting<ModelCatalog> MODEL_CATALOG = Setting.parsed(ModelCatalog.ENV,
            "YAML or JSON: model names to fields", OperatorConfig::catalog).chart("modelCatalog")
            .shownDefault("the chart's `files/models.yaml`")
            .means("models' context windows, prices and cluster-wide rate limits, merged field by field over the table"
                    + " ark carries (see [Models and providers](#models-and-providers))");
    public static final Setting<Duration> BUDGET_WINDOW_SECONDS = Setting.seconds("BUDGET_WINDOW_SECONDS", DAY, 1)
            .means("the rolling budget window, shortened for tests").forTests();

    /** What {@link #fromEnv} reads (the Redis endpoint, egress and telemetry are declared where they are read). */
    public static final List<Setting<?>> SETTINGS = List.of(AGENT_IMAGE, OPERATOR_NAMESPACE, API_KEYS_SECRET,
            API_KEYS_NAMESPACES, AGENT_MAX_DAILY_TOKENS, AGENT_RESOURCES, AGENT_IMAGE_PULL_SECRETS, WATCH_NAMESPACES,
            LEADER_ELECTION, SHARDS, HEALTH_PORT, POD_NAME, HOSTNAME, RUN_OUTPUT_LIMIT_BYTES, RUN_STATUS_OUTPUT_BUDGET_BYTES,
            RESULT_CLAIM_IDLE_SECONDS, RECONCILE_THREADS, REFERENCE_RECHECK_SECONDS, SERVER_SIDE_APPLY,
            AGENT_MAX_DAILY_COST, BUDGET_WARNING_PERCENT, MODEL_CATALOG, BUDGET_WINDOW_SECONDS);

    /** Reads the settings; a missing or bad one throws {@link InvalidConfigException} naming it. */
    public static OperatorConfig fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        try {
            return new OperatorConfig(
                    RedisEndpoint.fromSettings(settings),
                    settings.get(AGENT_IMAGE),
                    settings.get(OPERATOR_NAMESPACE),
                    settings.get(API_KEYS_SECRET),
                    settings.get(API_KEYS_NAMESPACES),
                    settings.get(AGENT_RESOURCES),
                    settings.get(WATCH_NAMESPACES),
                    settings.get(LEADER_ELECTION),
                    settings.get(HEALTH_PORT),
                    agentTelemetry(settings),
                    settings.get(BUDGET_WINDOW_SECONDS),
                    podName(settings),
                    settings.get(RUN_OUTPUT_LIMIT_BYTES),
                    settings.get(RUN_STATUS_OUTPUT_BUDGET_BYTES),
                    settings.get(RESULT_CLAIM_IDLE_SECONDS),
                    settings.get(AGENT_IMAGE_PULL_SECRETS),
                    settings.get(SERVER_SIDE_APPLY),
                    settings.get(RECONCILE_THREADS),
                    settings.get(REFERENCE_RECHECK_SECONDS),
                    settings.get(AGENT_MAX_DAILY_TOKENS),
                    settings.get(AGENT_MAX_DAILY_COST).orElse(null),
                    settings.get(BUDGET_WARNING_PERCENT),
                    EgressPolicy.forCluster(env),
                    settings.get(MODEL_CATALOG),
                    shards(settings));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** Shards are led through their Leases: more than one needs leader election. */
    private static Shards shards(Settings settings) {
        int count = settings.get(SHARDS);
        if (count > 1 && !settings.get(LEADER_ELECTION)) {
            throw new InvalidSettingException("SHARDS=" + count + " needs LEADER_ELECTION=true: each shard is led"
                    + " through its Lease");
        }
        return new Shards(count);
    }

    private static ModelCatalog catalog(Settings settings, String name) {
        try {
            return ModelCatalog.withOverride(settings.text(name, ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(e.getMessage());
        }
    }

    /** The operator's OTLP settings, passed on to agents only when it sends spans somewhere. */
    private static Map<String, String> agentTelemetry(Settings settings) {
        Map<String, String> passed = new java.util.TreeMap<>();
        if (settings.get(TelemetryVariables.OTLP_ENDPOINT).isEmpty()
                && settings.get(TelemetryVariables.OTLP_TRACES_ENDPOINT).isEmpty()) {
            return passed;
        }
        for (Setting<Optional<String>> setting : TelemetryVariables.PASSED_TO_AGENTS) {
            settings.get(setting).ifPresent(value -> passed.put(setting.name(), value));
        }
        return passed;
    }

    /** Unique per replica: two replicas with one name would both believe they hold the Lease. */
    private static String podName(Settings settings) {
        return settings.get(POD_NAME).or(() -> settings.get(HOSTNAME))
                .orElseGet(() -> "ark-operator-" + java.util.UUID.randomUUID().toString().substring(0, 8));
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
