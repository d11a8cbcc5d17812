package dev.arkonis.ark.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.arkonis.ark.llm.models.ModelCatalog;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisFixture;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart, rendered by the real Helm library: what `helm install` would apply. */
class HelmChartTest {
    private static final Path CHART = Path.of("helm/ark");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> render(Map<String, Object> values) throws IOException {
        return render(values, null);
    }

    private static List<JsonNode> render(Map<String, Object> values, Path valuesFile) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("ark").withNamespace("ark-system");
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        values.forEach(template::set);
        String manifest = template.call();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Optional<JsonNode> find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultsInstallTheOperatorAsTheGuideExpects() throws IOException {
        List<JsonNode> docs = render(Map.of());
        JsonNode deployment = find(docs, "Deployment", "ark-operator").orElseThrow();
        assertThat(deployment.path("metadata").path("namespace").asText()).isEqualTo("ark-system");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("ark-operator");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("args").toString()).isEqualTo("[\"operator\"]");
        assertThat(container.path("image").asText()).isEqualTo("arkonis/ark:0.1.0");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).as("the chart's own Redis, on by default")
                .isEqualTo("redis://ark-redis.ark-system.svc:6379");
        assertThat(env.get("AGENT_IMAGE").path("value").asText()).isEqualTo("arkonis/ark:0.1.0");
        assertThat(env.get("OPERATOR_NAMESPACE").path("valueFrom").path("fieldRef").path("fieldPath").asText())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("LEADER_ELECTION").path("value").asText()).isEqualTo("true");
        assertThat(env.get("RECONCILE_THREADS").path("value").asText()).isEqualTo("10");
        assertThat(env.get("MAX_RUNS_IN_FLIGHT").path("value").asText()).as("what 512Mi holds").isEqualTo("1000");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("512Mi");
        assertThat(env.get("WATCH_NAMESPACES").path("value").asText()).isEmpty();
        assertThat(env.get("API_KEYS_NAMESPACES").path("value").asText()).as("every watched namespace").isEmpty();
        assertThat(env.get("AGENT_MAX_DAILY_TOKENS").path("value").asText()).as("a budget unless a role sets its own")
                .isEqualTo("1000000");
        assertThat(YAML.readTree(env.get("AGENT_RESOURCES").path("value").asText()).path("limits").path("memory").asText())
                .isEqualTo("512Mi");
        assertThat(env).doesNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT").doesNotContainKey("OTEL_SERVICE_NAME");
        assertThat(docs).as("no monitoring objects unless asked").noneSatisfy(d -> assertThat(d.path("kind").asText())
                .isIn("ServiceMonitor", "PodMonitor"));
        assertThat(find(docs, "ConfigMap", "ark-grafana-dashboard")).isEmpty();
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                .as("the operator's Redis password, by reference").isEqualTo("ark-redis");
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("password");
        assertThat(env.get("TASK_QUEUE_USERNAME").path("valueFrom").path("secretKeyRef").path("optional").asBoolean())
                .as("the chart's Redis: its default user").isTrue();
        assertThat(find(docs, "ServiceAccount", "ark-operator")).isPresent();
        assertThat(find(docs, "ClusterRoleBinding", "ark-operator")).isPresent();
        assertThat(find(docs, "ValidatingAdmissionPolicy", "ark-operator-deployments")).as("the admission policy is on")
                .isPresent();
        JsonNode lease = find(docs, "Role", "ark-operator-leader-election").orElseThrow();
        assertThat(lease.path("metadata").path("namespace").asText()).as("leader election is namespaced").isEqualTo("ark-system");
        assertThat(lease.path("rules").get(0).path("resources").toString()).isEqualTo("[\"leases\"]");
        assertThat(find(docs, "Deployment", "ark-redis")).isPresent();
        assertThat(find(docs, "Service", "ark-redis")).isPresent();
        assertThat(pod.has("nodeSelector") || pod.has("tolerations") || pod.has("affinity") || pod.has("imagePullSecrets"))
                .as("no placement unless asked").isFalse();
    }

    @Test
    void byDefaultMetricsNeedAReadersTokenWebhooksAreOffAndEgressIsGuarded() throws IOException {
        List<JsonNode> docs = render(Map.of());
        JsonNode template = find(docs, "Deployment", "ark-operator").orElseThrow().path("spec").path("template");
        JsonNode container = template.path("spec").path("containers").get(0);
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("METRICS_AUTH").path("value").asText()).isEqualTo("true");
        assertThat(template.path("metadata").has("annotations"))
                .as("no prometheus.io annotations: scrapers that find pods by them send no token").isFalse();
        JsonNode reader = find(docs, "ClusterRole", "ark-metrics-reader").orElseThrow();
        assertThat(reader.path("rules").toString()).isEqualTo("[{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"get\"]}]");
        assertThat(env.get("TRIGGER_WEBHOOK_ENABLED").path("value").asText()).isEqualTo("false");
        assertThat(container.path("ports")).extracting(p -> p.path("name").asText()).containsExactly("http");
        assertThat(env.get("ARK_EGRESS_ALLOW").path("value").asText()).isEmpty();
        assertThat(env).as("no approval links without the webhook port").doesNotContainKey("APPROVAL_LINK_KEY");
        assertThat(find(docs, "Secret", "ark-approval-links")).isEmpty();

        List<JsonNode> open = render(Map.of("metrics.auth", "false"));
        assertThat(find(open, "ClusterRole", "ark-metrics-reader")).isEmpty();
        assertThat(find(open, "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("metadata")
                .path("annotations").path("prometheus.io/scrape").asText()).isEqualTo("true");
    }

    @Test
    void theServiceMonitorScrapesAsAnAccountThatMayReadMetricsAndNothingElse() throws IOException {
        List<JsonNode> docs = render(Map.of("serviceMonitor.enabled", "true"));
        JsonNode endpoint = find(docs, "ServiceMonitor", "ark-operator").orElseThrow().path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("authorization").path("type").asText()).isEqualTo("Bearer");
        assertThat(endpoint.path("authorization").path("credentials").path("name").asText()).isEqualTo("ark-metrics-scraper-token");
        assertThat(endpoint.path("authorization").path("credentials").path("key").asText()).isEqualTo("token");
        JsonNode token = find(docs, "Secret", "ark-metrics-scraper-token").orElseThrow();
        assertThat(token.path("type").asText()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(token.path("metadata").path("annotations").path("kubernetes.io/service-account.name").asText())
                .isEqualTo("ark-metrics-scraper");
        assertThat(find(docs, "ServiceAccount", "ark-metrics-scraper").orElseThrow()
                .path("automountServiceAccountToken").asBoolean()).isFalse();
        JsonNode binding = find(docs, "ClusterRoleBinding", "ark-metrics-scraper").orElseThrow();
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("ark-metrics-reader");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("ark-metrics-scraper");
        assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("ark-system");
    }

    @Test
    void theWebhookServesTlsFromASecret() throws IOException {
        List<JsonNode> docs = render(Map.of("triggerWebhook.enabled", "true", "triggerWebhook.tls.secretName", "hooks-tls"));
        JsonNode pod = find(docs, "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("TRIGGER_WEBHOOK_ENABLED").path("value").asText()).isEqualTo("true");
        assertThat(env.get("TRIGGER_WEBHOOK_TLS_CERT_FILE").path("value").asText()).isEqualTo("/etc/ark/webhook-tls/tls.crt");
        assertThat(env.get("TRIGGER_WEBHOOK_TLS_KEY_FILE").path("value").asText()).isEqualTo("/etc/ark/webhook-tls/tls.key");
        assertThat(env.get("TRIGGER_WEBHOOK_URL").path("value").asText())
                .isEqualTo("https://ark-operator-triggers.ark-system.svc:8092");
        assertThat(container.path("volumeMounts")).anySatisfy(m -> {
            assertThat(m.path("name").asText()).isEqualTo("webhook-tls");
            assertThat(m.path("mountPath").asText()).isEqualTo("/etc/ark/webhook-tls");
            assertThat(m.path("readOnly").asBoolean()).isTrue();
        });
        assertThat(pod.path("volumes")).anySatisfy(v ->
                assertThat(v.path("secret").path("secretName").asText()).isEqualTo("hooks-tls"));
        assertThat(container.path("ports")).extracting(p -> p.path("name").asText()).containsExactly("http", "triggers");
    }

    @Test
    void valuesChangeWhatIsInstalled() throws IOException {
        Map<String, Object> values = new HashMap<>(Map.of("apiKeys.existingSecret", "openai-keys", "redis.enabled", "true",
                "watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b", "otel.endpoint", "http://otel:4317"));
        values.put("leaderElection.enabled", "false");
        values.put("agentImage", "registry.local/ark-agent:1");
        values.put("reconcileThreads", "4");
        values.put("apiKeys.namespaces[0]", "team-a");
        values.put("agentDefaults.maxDailyTokens", "250000");
        List<JsonNode> docs = render(values);
        Map<String, JsonNode> env = env(find(docs, "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("API_KEYS_SECRET").path("value").asText()).isEqualTo("openai-keys");
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("redis://ark-redis.ark-system.svc:6379");
        assertThat(env.get("WATCH_NAMESPACES").path("value").asText()).isEqualTo("team-a,team-b");
        assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT").path("value").asText()).isEqualTo("http://otel:4317");
        assertThat(env.get("LEADER_ELECTION").path("value").asText()).isEqualTo("false");
        assertThat(env.get("RECONCILE_THREADS").path("value").asText()).isEqualTo("4");
        assertThat(env.get("API_KEYS_NAMESPACES").path("value").asText()).isEqualTo("team-a");
        assertThat(env.get("AGENT_MAX_DAILY_TOKENS").path("value").asText()).isEqualTo("250000");
        assertThat(env.get("AGENT_IMAGE").path("value").asText()).isEqualTo("registry.local/ark-agent:1");
        assertThat(find(docs, "Role", "ark-operator-leader-election")).isEmpty();
        assertThat(find(docs, "ConfigMap", "ark-redis-config").orElseThrow().path("data").path("redis.conf").asText())
                .contains("appendonly yes");
        assertThat(find(docs, "Service", "ark-redis")).isPresent();
        JsonNode policy = find(docs, "NetworkPolicy", "ark-redis").orElseThrow();
        assertThat(policy.path("spec").path("ingress").get(0).path("from").get(1).path("namespaceSelector")
                .path("matchExpressions").get(0).path("values").toString())
                .as("with watchNamespaces, agents of those namespaces only").isEqualTo("[\"team-a\",\"team-b\"]");
    }

    @Test
    void theTableOfModelsTakesTheChartsOverridesFieldByField(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
                modelCatalog:
                  gpt-4o:
                    prices: {input: 2.0}
                    rateLimits: {requestsPerMinute: 500}
                  house-llm: {contextWindow: 32000}
                """);
        Map<String, JsonNode> env = env(find(render(Map.of(), values), "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));

        // the operator as the chart configures it: every literal variable, and the namespace the kubelet fills in
        Map<String, String> literal = new HashMap<>(Map.of("OPERATOR_NAMESPACE", "ark-system"));
        env.forEach((name, var) -> {
            if (var.has("value")) {
                literal.put(name, var.path("value").asText());
            }
        });
        ModelCatalog catalog = OperatorConfig.fromEnv(literal).modelCatalog();
        assertThat(catalog.entry("gpt-4o").prices().input()).isEqualByComparingTo("2.0");
        assertThat(catalog.entry("gpt-4o").prices().output()).as("the chart's table for the rest").isEqualByComparingTo("10");
        assertThat(catalog.entry("gpt-4o").rateLimits().requestsPerMinute()).isEqualTo(500);
        assertThat(catalog.entry("house-llm").contextWindow()).isEqualTo(32000L);
        assertThat(env(find(render(Map.of()), "Deployment", "ark-operator").orElseThrow().path("spec").path("template")
                .path("spec").path("containers").get(0))).as("no override: the table as the jar has it")
                .doesNotContainKey(ModelCatalog.ENV);
    }

    @Test
    void theBundledRedisDemandsCredentialsThatNoManifestSpellsOut() throws IOException {
        List<JsonNode> docs = render(Map.of());
        JsonNode secret = find(docs, "Secret", "ark-redis").orElseThrow();
        String password = decode(secret.path("data").path("password").asText());
        assertThat(password).as("generated on install").matches("[A-Za-z0-9]{40}");
        assertThat(secret.path("data").has("username")).as("Redis's default user, with the password").isFalse();
        assertThat(decode(find(render(Map.of()), "Secret", "ark-redis").orElseThrow().path("data").path("password").asText()))
                .as("random, not a fixed default").isNotEqualTo(password);
        for (JsonNode doc : docs) {
            if (!doc.path("kind").asText().equals("Secret")) {
                assertThat(doc.toString()).as(doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText()
                        + " holds no password").doesNotContain(password);
            }
        }
        JsonNode pod = find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec");
        JsonNode redis = pod.path("containers").get(0);
        assertThat(redis.path("args").toString())
                .isEqualTo("[\"/etc/redis/redis.conf\",\"--requirepass\",\"$(REDISCLI_AUTH)\"]");
        assertThat(env(redis).get("REDISCLI_AUTH").path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("ark-redis");
        String config = find(docs, "ConfigMap", "ark-redis-config").orElseThrow().path("data").path("redis.conf").asText();
        assertThat(config).contains("maxmemory 192mb", "maxmemory-policy noeviction");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(redis.path(probe).path("exec").path("command").toString()).as(probe + " authenticates")
                    .isEqualTo("[\"redis-cli\",\"--no-auth-warning\",\"-e\",\"ping\"]");
        }
        assertThat(redis.path("image").asText()).as("a tag and a digest").matches("redis:7\\.4\\.\\d+-alpine@sha256:[0-9a-f]{64}");
        assertThat(redis.path("resources").path("requests").path("cpu").asText()).isNotEmpty();
        assertThat(redis.path("resources").path("limits").path("memory").asText()).isEqualTo("256Mi");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("ark-redis");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(find(docs, "ServiceAccount", "ark-redis").orElseThrow().path("automountServiceAccountToken").asBoolean(true))
                .isFalse();
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(redis.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(redis.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(redis.path("securityContext").path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");

        JsonNode policy = find(docs, "NetworkPolicy", "ark-redis").orElseThrow().path("spec");
        assertThat(policy.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText()).isEqualTo("redis");
        JsonNode from = policy.path("ingress").get(0).path("from");
        assertThat(from.get(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                .as("the operator's pods").isEqualTo("ark-operator");
        assertThat(from.get(1).path("podSelector").path("matchLabels").path("app.kubernetes.io/managed-by").asText())
                .as("agent pods, in any namespace").isEqualTo("ark");
        assertThat(from.get(1).path("namespaceSelector").isEmpty()).isTrue();
        assertThat(find(render(Map.of("redis.networkPolicy.enabled", "false")), "NetworkPolicy", "ark-redis")).isEmpty();
    }

    /**
     * redis.sentinel.enabled: a primary, replicas and three sentinels instead of the single Redis, reached through the
     * sentinels; every part demands a password of its own that no manifest spells out (SentinelSet runs the users and
     * rules of the same start scripts on real processes, and RunFailoverTest fails over with them).
     */
    @Test
    void theSentinelSetIsReachedThroughItsSentinelsWithPasswordsNoManifestSpellsOut() throws IOException {
        List<JsonNode> docs = render(Map.of("redis.sentinel.enabled", "true", "redis.sentinel.replicas", "2",
                "redis.sentinel.downAfterMilliseconds", "3000", "redis.sentinel.failoverTimeoutMilliseconds", "20000",
                "redis.sentinel.resources.limits.memory", "48Mi", "dashboard.enabled", "true",
                "dashboard.readQueue", "true"));
        assertThat(find(docs, "Deployment", "ark-redis")).as("no single Redis beside the set").isEmpty();
        assertThat(find(docs, "Service", "ark-redis")).isEmpty();
        JsonNode nodes = find(docs, "StatefulSet", "ark-redis").orElseThrow();
        JsonNode sentinels = find(docs, "StatefulSet", "ark-redis-sentinel").orElseThrow();
        assertThat(nodes.path("spec").path("replicas").asInt()).as("a primary and two replicas").isEqualTo(3);
        assertThat(sentinels.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(find(docs, "Service", nodes.path("spec").path("serviceName").asText()).orElseThrow()
                .path("spec").path("clusterIP").asText()).isEqualTo("None");

        String url = "redis-sentinel://ark-redis-sentinel-0.ark-redis-sentinel.ark-system.svc:26379,"
                + "ark-redis-sentinel-1.ark-redis-sentinel.ark-system.svc:26379,"
                + "ark-redis-sentinel-2.ark-redis-sentinel.ark-system.svc:26379#ark";
        for (String deployment : List.of("ark-operator", "ark-dashboard")) {
            Map<String, JsonNode> env = env(find(docs, "Deployment", deployment).orElseThrow()
                    .path("spec").path("template").path("spec").path("containers").get(0));
            assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).as(deployment).isEqualTo(url);
            assertThat(secretRef(env.get("TASK_QUEUE_SENTINEL_PASSWORD"))).as(deployment)
                    .isEqualTo("ark-redis-sentinel/sentinel-password");
        }
        assertThat(dev.arkonis.ark.queue.RedisUrls.hosts(url)).as("the sentinels' pods, by their Service")
                .containsExactly("ark-redis-sentinel-0.ark-redis-sentinel.ark-system.svc",
                        "ark-redis-sentinel-1.ark-redis-sentinel.ark-system.svc",
                        "ark-redis-sentinel-2.ark-redis-sentinel.ark-system.svc");
        assertThat(sentinels.path("spec").path("serviceName").asText()).isEqualTo("ark-redis-sentinel");

        JsonNode secret = find(docs, "Secret", "ark-redis-sentinel").orElseThrow();
        List<String> passwords = new ArrayList<>(List.of(decode(find(docs, "Secret", "ark-redis").orElseThrow(),
                "password")));
        for (String key : List.of("sentinel-password", "replication-password", "monitor-password", "peer-password")) {
            passwords.add(decode(secret, key));
        }
        assertThat(passwords).as("generated, one per user").doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).matches("[A-Za-z0-9]{40}"));
        for (JsonNode doc : docs) {
            if (!doc.path("kind").asText().equals("Secret")) {
                assertThat(passwords).allSatisfy(p -> assertThat(doc.toString()).as(doc.path("kind").asText() + " "
                        + doc.path("metadata").path("name").asText() + " holds no password").doesNotContain(p));
            }
        }

        JsonNode nodePod = nodes.path("spec").path("template").path("spec");
        JsonNode node = nodePod.path("containers").get(0);
        JsonNode sentinelPod = sentinels.path("spec").path("template").path("spec");
        JsonNode sentinel = sentinelPod.path("containers").get(0);
        assertThat(node.path("command").toString()).isEqualTo("[\"sh\",\"/opt/ark/redis-node.sh\"]");
        assertThat(node.path("args").get(0).asText()).isEqualTo("/etc/redis/redis.conf");
        assertThat(node.path("args").toString()).as("the dashboard's read-only user on every node")
                .contains("\"ark-dashboard\"", "\"--requirepass\",\"$(REDISCLI_AUTH)\"");
        Map<String, String> nodeSecrets = Map.of("REDISCLI_AUTH", "ark-redis/password",
                "SENTINEL_PASSWORD", "ark-redis-sentinel/sentinel-password",
                "REPLICATION_PASSWORD", "ark-redis-sentinel/replication-password",
                "MONITOR_PASSWORD", "ark-redis-sentinel/monitor-password");
        Map<String, String> sentinelSecrets = Map.of("REDISCLI_AUTH", "ark-redis-sentinel/sentinel-password",
                "SENTINEL_PASSWORD", "ark-redis-sentinel/sentinel-password",
                "MONITOR_PASSWORD", "ark-redis-sentinel/monitor-password",
                "PEER_PASSWORD", "ark-redis-sentinel/peer-password");
        nodeSecrets.forEach((variable, ref) -> assertThat(secretRef(env(node).get(variable))).as(variable).isEqualTo(ref));
        sentinelSecrets.forEach((variable, ref) -> assertThat(secretRef(env(sentinel).get(variable))).as(variable)
                .isEqualTo(ref));
        assertThat(env(node).keySet()).as("the operator's password only where it is the default user's")
                .doesNotContain("PEER_PASSWORD");
        assertThat(env(sentinel).keySet()).as("sentinels never hold the operator's or the replicas' password")
                .doesNotContain("REPLICATION_PASSWORD");
        assertThat(env(sentinel).values()).noneMatch(e -> secretRef(e).startsWith("ark-redis/"));
        assertThat(env(sentinel).get("DOWN_AFTER_MILLISECONDS").path("value").asText()).isEqualTo("3000");
        assertThat(env(sentinel).get("FAILOVER_TIMEOUT_MILLISECONDS").path("value").asText()).isEqualTo("20000");
        assertThat(sentinel.path("resources").path("limits").path("memory").asText()).isEqualTo("48Mi");

        JsonNode scripts = find(docs, "ConfigMap", "ark-redis-scripts").orElseThrow().path("data");
        for (var part : Map.of("redis-node.sh", node, "redis-sentinel.sh", sentinel).entrySet()) {
            for (String file : List.of(part.getKey(), "redis-primary.sh")) {
                String script = Files.readString(CHART.resolve("files").resolve(file));
                assertThat(scripts.path(file).asText().strip()).isEqualTo(script.strip());
                Set<String> read = new TreeSet<>(java.util.regex.Pattern.compile("\\$\\{?([A-Z][A-Z_]+)")
                        .matcher(script).results().map(m -> m.group(1)).toList());
                read.remove("HOSTNAME"); // the kubelet's
                assertThat(env(part.getValue()).keySet()).as("what " + file + " reads in " + part.getKey())
                        .containsAll(read);
            }
        }

        for (JsonNode pod : List.of(nodePod, sentinelPod)) {
            JsonNode container = pod.path("containers").get(0);
            assertThat(pod.path("serviceAccountName").asText()).isEqualTo("ark-redis");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.path("securityContext").path("capabilities").path("drop").toString())
                    .isEqualTo("[\"ALL\"]");
            assertThat(container.path("readinessProbe").path("exec").path("command").toString()).contains("ping");
            assertThat(pod.path("affinity").path("podAntiAffinity").isObject()).as("spread over nodes").isTrue();
        }

        for (var policy : Map.of("ark-redis", "redis", "ark-redis-sentinel", "sentinel").entrySet()) {
            JsonNode spec = find(docs, "NetworkPolicy", policy.getKey()).orElseThrow().path("spec");
            assertThat(spec.path("ingress")).hasSize(1);
            assertThat(spec.path("ingress").get(0).path("ports").get(0).path("port").asText()).isEqualTo(policy.getValue());
            JsonNode from = spec.path("ingress").get(0).path("from");
            assertThat(from).as(policy.getKey()).hasSize(4);
            assertThat(from.get(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                    .isEqualTo("ark-operator");
            assertThat(from.get(1).path("podSelector").path("matchExpressions").get(0).path("key").asText())
                    .as("agent pods").isEqualTo("arkonis.dev/agent");
            assertThat(from.get(2).path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                    .isEqualTo("ark-dashboard");
            assertThat(from.get(3).path("podSelector").path("matchExpressions").get(0).path("values").toString())
                    .as("the set's own pods").isEqualTo("[\"redis\",\"redis-sentinel\"]");
            assertThat(from.get(3).has("namespaceSelector")).as("of the release's namespace only").isFalse();
        }
        assertThat(find(docs, "PodDisruptionBudget", "ark-redis-sentinel").orElseThrow().path("spec")
                .path("maxUnavailable").asInt()).isEqualTo(1);

        List<JsonNode> persistent = render(Map.of("redis.sentinel.enabled", "true", "redis.persistence.enabled", "true",
                "redis.persistence.size", "5Gi"));
        assertThat(find(persistent, "PersistentVolumeClaim", "ark-redis")).as("a claim per node instead").isEmpty();
        assertThat(find(persistent, "StatefulSet", "ark-redis").orElseThrow().path("spec").path("volumeClaimTemplates")
                .get(0).path("spec").path("resources").path("requests").path("storage").asText()).isEqualTo("5Gi");
        List<JsonNode> own = render(Map.of("redis.sentinel.enabled", "true", "taskQueueURL", "redis://r:6379"));
        assertThat(env(find(own, "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0))).as("your own Redis: no sentinel password of the chart's")
                .doesNotContainKey("TASK_QUEUE_SENTINEL_PASSWORD");
        assertThat(find(render(Map.of()), "StatefulSet", "ark-redis")).as("off by default").isEmpty();
    }

    private static String secretRef(JsonNode variable) {
        JsonNode ref = variable == null ? null : variable.path("valueFrom").path("secretKeyRef");
        return ref == null || ref.isMissingNode() ? "" : ref.path("name").asText() + "/" + ref.path("key").asText();
    }

    @Test
    void aTaskQueueUrlWithCredentialsIsRefusedForASecret() throws IOException {
        assertThatThrownBy(() -> render(Map.of("redis.enabled", "false",
                        "taskQueueURL", "rediss://user:pw@redis.prod:6380")))
                .hasMessageContaining("taskQueueURL must not carry credentials")
                .hasMessageContaining("taskQueue.existingSecret");
        List<JsonNode> docs = render(Map.of("redis.enabled", "false", "taskQueueURL", "rediss://redis.prod:6380",
                "taskQueue.existingSecret", "prod-redis"));
        Map<String, JsonNode> env = env(find(docs, "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("rediss://redis.prod:6380");
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("prod-redis");
        assertThat(env.get("TASK_QUEUE_USERNAME").path("valueFrom").path("secretKeyRef").path("optional").asBoolean())
                .as("the default user needs no name").isTrue();
        assertThat(find(docs, "Secret", "ark-redis")).isEmpty();
        Map<String, JsonNode> open = env(find(render(Map.of("redis.enabled", "false", "taskQueueURL", "redis://r:6379")),
                "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(open).as("a Redis without a password").doesNotContainKeys("TASK_QUEUE_PASSWORD", "TASK_QUEUE_USERNAME");
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theChartsRbacIsConfigRbac() throws IOException {
        List<JsonNode> clusterWide = render(Map.of("taskQueueURL", "redis://r:6379"));
        assertThat(find(clusterWide, "ClusterRole", "ark-operator").orElseThrow().path("rules"))
                .isEqualTo(rules("role.yaml"));
        assertThat(find(clusterWide, "ClusterRole", "ark-operator-cluster").orElseThrow().path("rules"))
                .isEqualTo(rules("cluster_role.yaml"));
        assertThat(find(clusterWide, "Role", "ark-operator-leader-election").orElseThrow().path("rules"))
                .isEqualTo(rules("leader_election_role.yaml"));
        for (String binding : List.of("ark-operator", "ark-operator-cluster")) {
            assertThat(find(clusterWide, "ClusterRoleBinding", binding).orElseThrow().path("subjects"))
                    .isEqualTo(YAML.readTree(Path.of("config/rbac/" + (binding.equals("ark-operator") ? "role_binding.yaml"
                            : "cluster_role_binding.yaml")).toFile()).path("subjects"));
        }
        // config/rbac/admission_policy.yaml is the chart's policy rendered with the defaults
        List<JsonNode> plain = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(Path.of("config/rbac/admission_policy.yaml").toFile())) {
            it.forEachRemaining(plain::add);
        }
        List<JsonNode> rendered = render(Map.of()).stream().filter(d -> d.path("kind").asText()
                .startsWith("ValidatingAdmissionPolicy")).toList();
        assertThat(plain).hasSize(6).hasSameSizeAs(rendered);
        for (JsonNode doc : plain) {
            JsonNode twin = find(rendered, doc.path("kind").asText(), doc.path("metadata").path("name").asText()).orElseThrow();
            assertThat(doc.path("spec")).as(doc.path("metadata").path("name").asText()).isEqualTo(twin.path("spec"));
        }
    }

    @Test
    void withWatchNamespacesTheOperatorHoldsRolesInThoseNamespacesAndNoClusterWideRightOnNamespacedResources()
            throws IOException {
        List<JsonNode> docs = render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b",
                "apiKeys.existingSecret", "openai-keys"));
        for (String namespace : List.of("team-a", "team-b")) {
            JsonNode role = docs.stream().filter(d -> d.path("kind").asText().equals("Role")
                    && d.path("metadata").path("namespace").asText().equals(namespace)).findFirst().orElseThrow();
            assertThat(role.path("rules")).isEqualTo(rules("role.yaml"));
            JsonNode binding = docs.stream().filter(d -> d.path("kind").asText().equals("RoleBinding")
                    && d.path("metadata").path("namespace").asText().equals(namespace)).findFirst().orElseThrow();
            assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(role.path("metadata").path("name").asText());
            assertThat(binding.path("subjects").toString())
                    .isEqualTo("[{\"kind\":\"ServiceAccount\",\"name\":\"ark-operator\",\"namespace\":\"ark-system\"}]");
        }
        assertThat(find(docs, "ClusterRole", "ark-operator")).isEmpty();
        assertThat(find(docs, "ClusterRoleBinding", "ark-operator")).isEmpty();
        // what stays cluster-wide is cluster_role.yaml's, the cluster-scoped needs
        assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("ClusterRoleBinding"))
                .extracting(d -> d.path("roleRef").path("name").asText()).containsExactly("ark-operator-cluster");
        assertThat(find(docs, "ClusterRole", "ark-operator-cluster").orElseThrow().path("rules"))
                .isEqualTo(rules("cluster_role.yaml"));
        // in its own namespace: the Lease, and the API-key Secret by its name only
        JsonNode keys = find(docs, "Role", "ark-operator-api-keys").orElseThrow();
        assertThat(keys.path("metadata").path("namespace").asText()).isEqualTo("ark-system");
        assertThat(keys.path("rules").toString()).isEqualTo("[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],"
                + "\"resourceNames\":[\"openai-keys\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]");
        assertThat(find(docs, "RoleBinding", "ark-operator-api-keys").orElseThrow().path("roleRef").path("name").asText())
                .isEqualTo("ark-operator-api-keys");
        assertThat(find(docs, "Role", "ark-operator-leader-election")).isPresent();
        assertThat(find(render(Map.of("watchNamespaces[0]", "team-a")), "Role", "ark-operator-api-keys"))
                .as("no API-key Secret, no right to read one").isEmpty();
    }

    @Test
    void theAdmissionPolicyNamesTheOperatorAndTheAgentImageAndCanBeTurnedOff() throws IOException {
        List<JsonNode> docs = render(Map.of("agentImage", "registry.local/ark-agent:2"));
        JsonNode deployments = find(docs, "ValidatingAdmissionPolicy", "ark-operator-deployments").orElseThrow();
        assertThat(deployments.path("spec").path("matchConditions").get(0).path("expression").asText())
                .isEqualTo("request.userInfo.username == \"system:serviceaccount:ark-system:ark-operator\"");
        assertThat(deployments.path("spec").path("validations").toString()).contains("registry.local/ark-agent:2");
        assertThat(find(docs, "ValidatingAdmissionPolicy", "ark-operator-secrets")).isPresent();
        for (String policy : List.of("ark-operator-deployments", "ark-operator-secrets")) {
            JsonNode binding = find(docs, "ValidatingAdmissionPolicyBinding", policy).orElseThrow();
            assertThat(binding.path("spec").path("policyName").asText()).isEqualTo(policy);
            assertThat(binding.path("spec").path("validationActions").toString()).isEqualTo("[\"Deny\"]");
        }
        assertThat(render(Map.of("admissionPolicy.enabled", "false"))).noneSatisfy(d ->
                assertThat(d.path("kind").asText()).startsWith("ValidatingAdmissionPolicy"));
    }

    private static JsonNode rules(String configRbacFile) throws IOException {
        return YAML.readTree(Path.of("config/rbac", configRbacFile).toFile()).path("rules");
    }

    @Test
    void theChartInstallsTheGeneratedCrds() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "arkagents.arkonis.dev-v1.yml", "arkevents.arkonis.dev-v1.yml", "arkmodels.arkonis.dev-v1.yml",
                    "arknotifies.arkonis.dev-v1.yml", "arkregistries.arkonis.dev-v1.yml", "arkruns.arkonis.dev-v1.yml",
                    "arksettings.arkonis.dev-v1.yml", "arkteams.arkonis.dev-v1.yml");
        }
        assertThat(CHART.resolve("crds").toRealPath()).isEqualTo(Path.of("crds").toRealPath());
    }

    @Test
    void theTriggerWebhookServiceIsOffByDefault() throws IOException {
        List<JsonNode> off = render(Map.of("taskQueueURL", "redis://r:6379"));
        assertThat(find(off, "Service", "ark-operator-triggers")).isEmpty();
        JsonNode container = find(off, "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(env(container).get("TRIGGER_WEBHOOK_PORT").path("value").asText()).isEqualTo("8092");
        assertThat(env(container)).doesNotContainKeys("TRIGGER_WEBHOOK_URL", "NOTIFY_DASHBOARD_URL");

        List<JsonNode> on = render(Map.of("taskQueueURL", "redis://r:6379", "triggerWebhook.enabled", "true",
                "notify.dashboardUrl", "https://dash.example"));
        JsonNode service = find(on, "Service", "ark-operator-triggers").orElseThrow();
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8092);
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("triggers");
        assertThat(service.path("spec").path("selector").path("app.kubernetes.io/name").asText()).isEqualTo("ark-operator");
        Map<String, JsonNode> env = env(find(on, "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("TRIGGER_WEBHOOK_URL").path("value").asText())
                .isEqualTo("http://ark-operator-triggers.ark-system.svc:8092");
        assertThat(env.get("NOTIFY_DASHBOARD_URL").path("value").asText()).isEqualTo("https://dash.example");
    }

    @Test
    void withoutAQueueTheChartSaysWhatToSet() {
        assertThatThrownBy(() -> render(Map.of("redis.enabled", "false")))
                .hasMessageContaining("set taskQueueURL, or redis.enabled=true");
    }

    @Test
    void anOwnRedisAndPersistenceAreValuesToo() throws IOException {
        List<JsonNode> external = render(Map.of("redis.enabled", "false", "taskQueueURL", "rediss://redis.prod:6380"));
        assertThat(find(external, "Deployment", "ark-redis")).isEmpty();
        assertThat(find(external, "Service", "ark-redis")).isEmpty();
        List<JsonNode> persistent = render(Map.of("redis.persistence.enabled", "true", "redis.persistence.size", "5Gi"));
        JsonNode claim = find(persistent, "PersistentVolumeClaim", "ark-redis").orElseThrow();
        assertThat(claim.path("spec").path("resources").path("requests").path("storage").asText()).isEqualTo("5Gi");
        assertThat(find(persistent, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec")
                .path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("ark-redis");
        assertThat(find(render(Map.of("replicaCount", "3")), "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    /** The small preset (values-small.yaml): half the memory, a tenth of the runs in flight. */
    @Test
    void theSmallPresetPairsItsMemoryLimitWithItsInFlightLimit() throws IOException {
        List<JsonNode> docs = render(Map.of(), CHART.resolve("values-small.yaml"));
        JsonNode container = find(docs, "Deployment", "ark-operator").orElseThrow().path("spec").path("template")
                .path("spec").path("containers").get(0);
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("256Mi");
        assertThat(env(container).get("MAX_RUNS_IN_FLIGHT").path("value").asText()).isEqualTo("100");
        assertThat(env(container).get("RECONCILE_THREADS").path("value").asText()).isEqualTo("5");
        assertThat(env(container).get("JAVA_TOOL_OPTIONS").path("value").asText()).as("the JIT's C1 only")
                .isEqualTo("-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m");
    }

    @Test
    void replicasShardTheNamespacesAndTheRoleReachesExactlyTheLeasesUsed() throws IOException {
        List<JsonNode> one = render(Map.of());
        assertThat(env(operatorContainer(one)).get("SHARDS").path("value").asText()).isEqualTo("1");
        assertThat(leaseRules(one)).containsExactly("create on any", "get,update,patch on ark-operator");

        List<JsonNode> three = render(Map.of("replicaCount", "3"));
        assertThat(env(operatorContainer(three)).get("SHARDS").path("value").asText()).isEqualTo("3");
        assertThat(leaseRules(three)).containsExactly("create on any",
                "get,update,patch on ark-operator-shard-0,ark-operator-shard-1,ark-operator-shard-2");

        List<JsonNode> unelected = render(Map.of("replicaCount", "3", "leaderElection.enabled", "false"));
        assertThat(env(operatorContainer(unelected)).get("SHARDS").path("value").asText())
                .as("without Leases there are no shards").isEqualTo("1");
    }

    private static JsonNode operatorContainer(List<JsonNode> docs) {
        return find(docs, "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0);
    }

    private static List<String> leaseRules(List<JsonNode> docs) {
        List<String> rules = new java.util.ArrayList<>();
        for (JsonNode rule : find(docs, "Role", "ark-operator-leader-election").orElseThrow().path("rules")) {
            List<String> verbs = new java.util.ArrayList<>();
            rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            List<String> names = new java.util.ArrayList<>();
            rule.path("resourceNames").forEach(n -> names.add(n.asText()));
            rules.add(String.join(",", verbs) + " on " + (names.isEmpty() ? "any" : String.join(",", names)));
        }
        return rules;
    }

    /** The values HelmValuesIT installs, rendered: each reaches its object (HelmValuesIT follows it to the process). */
    @Test
    void everyValueShapesWhatIsInstalled() throws IOException {
        Path everyValue = Path.of("src/test/resources/cluster/every-value.yaml");
        List<JsonNode> docs = render(Map.of(), everyValue);
        JsonNode pod = find(docs, "Deployment", "ark-operator").orElseThrow().path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, JsonNode> env = env(container);
        assertThat(container.path("image").asText()).isEqualTo("registry.example/ark:9.9.9");
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(env.get("API_KEYS_SECRET").path("value").asText()).isEqualTo("other-keys");
        assertThat(env.get("API_KEYS_NAMESPACES").path("value").asText()).isEqualTo("values-watched");
        assertThat(env.get("AGENT_MAX_DAILY_TOKENS").path("value").asText()).as("a whole number, never 5e+06")
                .isEqualTo("5000000");
        assertThat(env.get("AGENT_MAX_DAILY_COST").path("value").asText()).isEqualTo("12.5");
        assertThat(env.get("BUDGET_WARNING_PERCENT").path("value").asText()).isEqualTo("90");
        assertThat(env.get("MODEL_CATALOG").path("value").asText())
                .isEqualTo("{\"house-llm\":{\"contextWindow\":32000,\"prices\":{\"input\":0.5,\"output\":1.5}}}");
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("redis://ark-redis.ark-system.svc.cluster.local:6379");
        assertThat(env.get("AGENT_IMAGE").path("value").asText()).isEqualTo("registry.example/ark-agent:1.0");
        assertThat(env.get("AGENT_RESOURCES").path("value").asText()).contains("384Mi");
        assertThat(env.get("AGENT_IMAGE_PULL_SECRETS").path("value").asText()).isEqualTo("registry-credentials");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("640Mi");
        assertThat(env.get("LEADER_ELECTION").path("value").asText()).isEqualTo("false");
        assertThat(env.get("RECONCILE_THREADS").path("value").asText()).isEqualTo("6");
        assertThat(env.get("MAX_RUNS_IN_FLIGHT").path("value").asText()).isEqualTo("250");
        assertThat(find(docs, "Role", "ark-operator-leader-election")).isEmpty();
        assertThat(env.get("WATCH_NAMESPACES").path("value").asText()).isEqualTo("values-watched");
        assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT").path("value").asText()).isEqualTo("http://otel-collector.observability:4317");
        assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL").path("value").asText()).isEqualTo("grpc");
        assertThat(env.get("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT").path("value").asText()).isEqualTo("true");
        assertThat(env.get("OTEL_SERVICE_NAME").path("value").asText()).isEqualTo("ark-operator");
        JsonNode monitor = find(docs, "ServiceMonitor", "ark-operator").orElseThrow();
        assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
        assertThat(monitor.path("spec").path("endpoints").get(0).path("interval").asText()).isEqualTo("15s");
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        JsonNode service = find(docs, "Service", "ark-operator-metrics").orElseThrow();
        // the ServiceMonitor selects the metrics Service by its labels
        monitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label -> assertThat(
                service.path("metadata").path("labels").path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
        assertThat(service.path("spec").path("selector").path("app.kubernetes.io/name").asText()).isEqualTo("ark-operator");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo(container.path("ports").get(0).path("name").asText());
        JsonNode agents = find(docs, "PodMonitor", "ark-agents").orElseThrow();
        assertThat(agents.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/managed-by").asText())
                .as("the label every agent pod carries").isEqualTo("ark");
        assertThat(agents.path("spec").path("namespaceSelector").path("matchNames").toString()).isEqualTo("[\"values-watched\"]");
        assertThat(agents.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("http");
        JsonNode dashboard = find(docs, "ConfigMap", "ark-grafana-dashboard").orElseThrow();
        assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("ark");
        JsonNode panels = new ObjectMapper().readTree(dashboard.path("data").path("ark.json").asText()).path("panels");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
        String queries = panels.findValues("expr").toString();
        assertThat(queries).contains("ark_tokens_total", "ark_budget_remaining_tokens", "ark_queue_length",
                "ark_queue_pending", "ark_step_duration_seconds_bucket", "ark_reconcile_errors_total", "ark_dead_letters_total");
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);
        assertThat(env.get("ARK_LOG_LEVEL").path("value").asText()).isEqualTo("DEBUG");
        assertThat(env.get("TRIGGER_WEBHOOK_PORT").path("value").asText()).isEqualTo("8093");
        assertThat(env.get("TRIGGER_WEBHOOK_URL").path("value").asText()).isEqualTo("https://hooks.example/ark");
        assertThat(env.get("NOTIFY_DASHBOARD_URL").path("value").asText()).isEqualTo("https://dashboard.example/ark");
        assertThat(env.get("TRIGGER_WEBHOOK_TLS_CERT_FILE").path("value").asText()).isEqualTo("/etc/ark/webhook-tls/tls.crt");
        assertThat(pod.path("volumes")).anySatisfy(v ->
                assertThat(v.path("secret").path("secretName").asText()).isEqualTo("webhook-tls"));
        assertThat(env.get("APPROVAL_LINK_MAX_AGE").path("value").asText()).isEqualTo("48h");
        assertThat(env.get("APPROVAL_LINK_KEY").path("valueFrom").path("secretKeyRef").path("name").asText())
                .as("the key is read from its Secret, never a literal").isEqualTo("ark-approval-links");
        String linkKey = decode(find(docs, "Secret", "ark-approval-links").orElseThrow().path("data").path("key").asText());
        assertThat(linkKey).as("generated on install").matches("[A-Za-z0-9]{64}");
        assertThat(docs).filteredOn(doc -> !doc.path("kind").asText().equals("Secret"))
                .allSatisfy(doc -> assertThat(doc.toString()).doesNotContain(linkKey));
        assertThat(env.get("METRICS_AUTH").path("value").asText()).isEqualTo("false");
        assertThat(monitor.path("spec").path("endpoints").get(0).has("authorization")).isFalse();
        assertThat(env.get("ARK_EGRESS_ALLOW").path("value").asText()).isEqualTo("127.0.0.0/8,10.20.0.0/16");
        assertThat(find(docs, "Service", "ark-operator-triggers").orElseThrow().path("spec").path("ports").get(0)
                .path("port").asInt()).isEqualTo(8093);
        for (JsonNode placed : List.of(pod, find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec"))) {
            assertThat(placed.path("nodeSelector").path("kubernetes.io/os").asText()).isEqualTo("linux");
            assertThat(placed.path("tolerations").get(0).path("key").asText()).isEqualTo("dedicated");
            assertThat(placed.path("affinity").path("nodeAffinity").isObject()).isTrue();
            assertThat(placed.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("registry-credentials");
        }
        JsonNode redis = find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0);
        assertThat(redis.path("image").asText()).isEqualTo("redis:7.2-alpine");
        assertThat(redis.path("resources").path("limits").path("memory").asText()).isEqualTo("320Mi");
        assertThat(find(docs, "ConfigMap", "ark-redis-config").orElseThrow().path("data").path("redis.conf").asText())
                .contains("maxmemory 240mb");
        assertThat(find(docs, "NetworkPolicy", "ark-redis")).isEmpty();
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                .as("taskQueue.existingSecret").isEqualTo("ark-redis");

        JsonNode dashboardPod = find(docs, "Deployment", "ark-dashboard").orElseThrow().path("spec").path("template").path("spec");
        JsonNode dashboardContainer = dashboardPod.path("containers").get(0);
        assertThat(dashboardContainer.path("args").toString()).contains("\"--port=8094\"", "\"--sign-in=none\"", "\"--read-only\"",
                "\"--namespace=values-watched\"", "\"--allowed-host=dashboard.example\"");
        assertThat(env(dashboardContainer).get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("redis://ark-redis.ark-system.svc.cluster.local:6379");
        assertThat(dashboardContainer.path("resources").path("limits").path("memory").asText()).isEqualTo("320Mi");
        assertThat(find(docs, "Deployment", "ark-dashboard").orElseThrow().path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(find(docs, "Service", "ark-dashboard").orElseThrow().path("spec").path("type").asText()).isEqualTo("NodePort");
        assertThat(find(docs, "RoleBinding", "ark-dashboard-read").orElseThrow().path("metadata").path("namespace").asText())
                .isEqualTo("values-watched");
        assertThat(find(docs, "ClusterRoleBinding", "ark-dashboard-read")).isEmpty();

        // and every value of values.yaml is exercised here, in anOwnRedisAndPersistenceAreValuesToo or in the defaults
        assertThat(find(docs, "Role", "ark-operator")).as("watchNamespaces: a Role in values-watched").isPresent();
        Set<String> exercised = new TreeSet<>(leaves("", YAML.readTree(everyValue.toFile())));
        exercised.addAll(List.of("redis.persistence.enabled", "redis.persistence.size"));
        // aDashboardOnYourOwnRedisReadsWithTheSecretYouName
        exercised.add("dashboard.queueSecret");
        // theSentinelSetIsReachedThroughItsSentinelsWithPasswordsNoManifestSpellsOut
        exercised.addAll(List.of("redis.sentinel.enabled", "redis.sentinel.replicas",
                "redis.sentinel.downAfterMilliseconds", "redis.sentinel.failoverTimeoutMilliseconds",
                "redis.sentinel.resources.requests.cpu", "redis.sentinel.resources.requests.memory",
                "redis.sentinel.resources.limits.memory"));
        // HelmValuesIT keeps the policy on: theAdmissionPolicyNamesTheOperatorAndTheAgentImageAndCanBeTurnedOff
        exercised.add("admissionPolicy.enabled");
        assertThat(leaves("", YAML.readTree(CHART.resolve("values.yaml").toFile())))
                .allSatisfy(value -> assertThat(exercised).as("values.yaml's " + value)
                        .anyMatch(key -> key.equals(value) || key.startsWith(value + ".")));
    }

    /** Dotted paths of a values tree's leaves; a list or an empty map counts as one leaf. */
    private static Set<String> leaves(String prefix, JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(f -> out.addAll(leaves(prefix + (prefix.isEmpty() ? "" : ".") + f.getKey(), f.getValue())));
        } else {
            out.add(prefix);
        }
        return out;
    }

    @Test
    void theDashboardIsOffByDefaultAndInTokenModeHoldsNoRightsOfItsOwn() throws IOException {
        List<JsonNode> off = render(Map.of("taskQueueURL", "redis://r:6379"));
        assertThat(off).noneMatch(d -> d.path("metadata").path("name").asText().startsWith("ark-dashboard"));

        List<JsonNode> docs = render(Map.of("taskQueueURL", "redis://r:6379", "dashboard.enabled", "true"));
        JsonNode pod = find(docs, "Deployment", "ark-dashboard").orElseThrow().path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("args").toString()).contains("\"dashboard\"", "\"--sign-in=token\"",
                "\"--address=0.0.0.0\"", "\"--port=8090\"", "\"--all-namespaces\"",
                "\"--certificate-authority=/etc/ark/kube-ca/ca.crt\"", "\"--allowed-host=ark-dashboard.ark-system.svc\"")
                .doesNotContain("--read-only");
        assertThat(env(container)).doesNotContainKey("TASK_QUEUE_URL");
        // the person's token is the only credential: no ServiceAccount token in the pod, no binding to any role
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(find(docs, "ServiceAccount", "ark-dashboard").orElseThrow().path("automountServiceAccountToken").asBoolean(true))
                .isFalse();
        assertThat(docs).noneMatch(d -> d.path("kind").asText().endsWith("Binding")
                && d.path("metadata").path("name").asText().startsWith("ark-dashboard"));
        assertThat(pod.path("volumes").toString()).contains("kube-root-ca.crt");
        // the restricted Pod Security Standard
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        JsonNode security = container.path("securityContext");
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(security.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        JsonNode service = find(docs, "Service", "ark-dashboard").orElseThrow();
        assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");

        List<JsonNode> readOnly = render(Map.of("taskQueueURL", "redis://r:6379", "dashboard.enabled", "true",
                "dashboard.mode", "readOnly"));
        assertThat(find(readOnly, "Deployment", "ark-dashboard").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0).path("args").toString()).contains("\"--sign-in=none\"", "\"--read-only\"");
        JsonNode role = find(readOnly, "ClusterRole", "ark-dashboard-read").orElseThrow();
        assertThat(role.path("rules").findValues("verbs").stream().flatMap(v -> java.util.stream.StreamSupport.stream(v.spliterator(), false))
                .map(JsonNode::asText).distinct().sorted().toList()).containsExactly("get", "list", "watch");
        assertThat(role.path("rules").findValues("resources").toString()).doesNotContain("secrets");
        assertThat(find(readOnly, "ClusterRoleBinding", "ark-dashboard-read").orElseThrow().path("subjects").get(0)
                .path("name").asText()).isEqualTo("ark-dashboard");

        assertThatThrownBy(() -> render(Map.of("taskQueueURL", "redis://r:6379",
                "dashboard.enabled", "true", "dashboard.mode", "open"))).hasMessageContaining("dashboard.mode must be token");
    }

    /**
     * The in-cluster dashboard reads the queue as a Redis user of its own, generated with the chart's Redis, that the
     * real Redis lets read queue depths and cut outputs and nothing else; the operator's password never reaches it.
     */
    @Test
    void theDashboardReadsTheQueueAsARedisUserThatMayOnlyRead() throws Exception {
        List<JsonNode> docs = render(Map.of("dashboard.enabled", "true", "dashboard.readQueue", "true"));
        Map<String, JsonNode> env = env(find(docs, "Deployment", "ark-dashboard").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("TASK_QUEUE_USERNAME").path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("ark-dashboard-queue");
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("ark-dashboard-queue");
        assertThat(env.values()).noneMatch(e -> e.path("valueFrom").path("secretKeyRef").path("name").asText()
                .equals("ark-redis"));
        JsonNode secret = find(docs, "Secret", "ark-dashboard-queue").orElseThrow();
        String username = decode(secret, "username");
        String password = decode(secret, "password");
        assertThat(username).isEqualTo("ark-dashboard");
        assertThat(find(docs, "NetworkPolicy", "ark-redis").orElseThrow().path("spec").path("ingress").get(0)
                .path("from").toString()).contains("\"app.kubernetes.io/name\":\"ark-dashboard\"");

        // the Redis container's user line, its $(VAR) expanded as the kubelet does, given to a real Redis
        JsonNode redisContainer = find(docs, "Deployment", "ark-redis").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(env(redisContainer).get("DASHBOARD_PASSWORD_SHA256").path("valueFrom").path("secretKeyRef")
                .path("key").asText()).isEqualTo("password-sha256");
        List<String> args = new ArrayList<>();
        redisContainer.path("args").forEach(a -> args.add(a.asText()));
        List<String> user = args.subList(args.indexOf("--user") + 1, args.size()).stream()
                .map(a -> a.replace("$(DASHBOARD_PASSWORD_SHA256)", decode(secret, "password-sha256"))).toList();
        assertThat(String.join(" ", user)).doesNotContain(password);
        try (RedisFixture redis = RedisFixture.startWith("user " + String.join(" ", user));
                RedisConnections connections = RedisConnections.open(new RedisEndpoint(redis.url(), Optional.of(username),
                        Optional.of(password)))) {
            redis.redis().xadd("ns.team.role", Map.of("task", "t"));
            redis.redis().xgroupCreate(XReadArgs.StreamOffset.from("ns.team.role", "0"), "agents");
            redis.redis().set("ns.team.role.outputs.run.step", "whole");
            RedisCommands<String, String> dashboard = connections.shared().sync();
            assertThat(dashboard.xlen("ns.team.role")).isEqualTo(1);
            assertThat(dashboard.xpending("ns.team.role", "agents").getCount()).isZero();
            assertThat(dashboard.get("ns.team.role.outputs.run.step")).isEqualTo("whole");
            for (Consumer<RedisCommands<String, String>> attempt : List.<Consumer<RedisCommands<String, String>>>of(
                    r -> r.xadd("ns.team.role", Map.of("task", "forged")), r -> r.set("k", "v"),
                    r -> r.del("ns.team.role"), r -> r.flushall(), r -> r.aclList(), r -> r.configGet("requirepass"),
                    r -> r.keys("*"), r -> r.xreadgroup(io.lettuce.core.Consumer.from("agents", "x"),
                            XReadArgs.StreamOffset.lastConsumed("ns.team.role")))) {
                assertThatThrownBy(() -> attempt.accept(dashboard)).isInstanceOf(RedisCommandExecutionException.class)
                        .hasMessageStartingWith("NOPERM");
            }
            assertThat(redis.redis().xlen("ns.team.role")).isEqualTo(1);
        }
    }

    @Test
    void aDashboardOnYourOwnRedisReadsWithTheSecretYouName() throws IOException {
        List<JsonNode> docs = render(Map.of("redis.enabled", "false", "taskQueueURL", "rediss://redis.prod:6380",
                "dashboard.enabled", "true", "dashboard.readQueue", "true", "dashboard.queueSecret", "dashboard-redis"));
        Map<String, JsonNode> env = env(find(docs, "Deployment", "ark-dashboard").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("rediss://redis.prod:6380");
        assertThat(env.get("TASK_QUEUE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("dashboard-redis");
        assertThat(find(docs, "Secret", "ark-dashboard-queue")).isEmpty();
        assertThatThrownBy(() -> render(Map.of("redis.enabled", "false",
                "taskQueueURL", "rediss://redis.prod:6380", "dashboard.enabled", "true", "dashboard.readQueue", "true")))
                .hasMessageContaining("dashboard.readQueue with your own Redis needs dashboard.queueSecret");
    }

    private static String decode(JsonNode secret, String key) {
        return new String(java.util.Base64.getDecoder().decode(secret.path("data").path(key).asText()),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
