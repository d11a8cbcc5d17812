package dev.arkonis.ark.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
        assertThat(env.get("WATCH_NAMESPACES").path("value").asText()).isEmpty();
        assertThat(YAML.readTree(env.get("AGENT_RESOURCES").path("value").asText()).path("limits").path("memory").asText())
                .isEqualTo("512Mi");
        assertThat(env).doesNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT").doesNotContainKey("OTEL_SERVICE_NAME");
        assertThat(docs).as("no monitoring objects unless asked").noneSatisfy(d -> assertThat(d.path("kind").asText())
                .isIn("ServiceMonitor", "PodMonitor", "ConfigMap"));
        assertThat(find(docs, "ServiceAccount", "ark-operator")).isPresent();
        assertThat(find(docs, "ClusterRoleBinding", "ark-operator")).isPresent();
        JsonNode lease = find(docs, "Role", "ark-operator-leader-election").orElseThrow();
        assertThat(lease.path("metadata").path("namespace").asText()).as("leader election is namespaced").isEqualTo("ark-system");
        assertThat(lease.path("rules").get(0).path("resources").toString()).isEqualTo("[\"leases\"]");
        assertThat(find(docs, "Deployment", "ark-redis")).isPresent();
        assertThat(find(docs, "Service", "ark-redis")).isPresent();
        assertThat(pod.has("nodeSelector") || pod.has("tolerations") || pod.has("affinity") || pod.has("imagePullSecrets"))
                .as("no placement unless asked").isFalse();
    }

    @Test
    void valuesChangeWhatIsInstalled() throws IOException {
        Map<String, Object> values = new HashMap<>(Map.of("apiKeys.existingSecret", "openai-keys", "redis.enabled", "true",
                "watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b", "otel.endpoint", "http://otel:4317"));
        values.put("leaderElection.enabled", "false");
        values.put("agentImage", "registry.local/ark-agent:1");
        values.put("reconcileThreads", "4");
        List<JsonNode> docs = render(values);
        Map<String, JsonNode> env = env(find(docs, "Deployment", "ark-operator").orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0));
        assertThat(env.get("API_KEYS_SECRET").path("value").asText()).isEqualTo("openai-keys");
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("redis://ark-redis.ark-system.svc:6379");
        assertThat(env.get("WATCH_NAMESPACES").path("value").asText()).isEqualTo("team-a,team-b");
        assertThat(env.get("OTEL_EXPORTER_OTLP_ENDPOINT").path("value").asText()).isEqualTo("http://otel:4317");
        assertThat(env.get("LEADER_ELECTION").path("value").asText()).isEqualTo("false");
        assertThat(env.get("RECONCILE_THREADS").path("value").asText()).isEqualTo("4");
        assertThat(env.get("AGENT_IMAGE").path("value").asText()).isEqualTo("registry.local/ark-agent:1");
        assertThat(find(docs, "Role", "ark-operator-leader-election")).isEmpty();
        assertThat(find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0).path("args").toString()).contains("appendonly");
        assertThat(find(docs, "Service", "ark-redis")).isPresent();
    }

    @Test
    void theChartsRbacIsConfigRbac() throws IOException {
        JsonNode chartRole = find(render(Map.of("taskQueueURL", "redis://r:6379")), "ClusterRole", "ark-operator").orElseThrow();
        JsonNode plainRole = YAML.readTree(Path.of("config/rbac/role.yaml").toFile());
        assertThat(chartRole.path("rules")).isEqualTo(plainRole.path("rules"));
        JsonNode lease = YAML.readTree(Path.of("config/rbac/leader_election_role.yaml").toFile());
        JsonNode chartLease = find(render(Map.of("taskQueueURL", "redis://r:6379")), "Role", "ark-operator-leader-election")
                .orElseThrow();
        assertThat(chartLease.path("rules")).isEqualTo(lease.path("rules"));
    }

    @Test
    void theChartInstallsTheGeneratedCrds() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "arkagents.arkonis.dev-v1.yml", "arkevents.arkonis.dev-v1.yml", "arknotifies.arkonis.dev-v1.yml",
                    "arkregistries.arkonis.dev-v1.yml", "arkruns.arkonis.dev-v1.yml", "arksettings.arkonis.dev-v1.yml",
                    "arkteams.arkonis.dev-v1.yml");
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
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render(Map.of("redis.enabled", "false")))
                .hasMessageContaining("set taskQueueURL, or redis.enabled=true");
    }

    @Test
    void anOwnRedisAndPersistenceAreValuesToo() throws IOException {
        List<JsonNode> external = render(Map.of("redis.enabled", "false", "taskQueueURL", "rediss://user:pw@redis.prod:6380"));
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
        assertThat(env.get("TASK_QUEUE_URL").path("value").asText()).isEqualTo("redis://ark-redis.ark-system.svc.cluster.local:6379");
        assertThat(env.get("AGENT_IMAGE").path("value").asText()).isEqualTo("registry.example/ark-agent:1.0");
        assertThat(env.get("AGENT_RESOURCES").path("value").asText()).contains("384Mi");
        assertThat(env.get("AGENT_IMAGE_PULL_SECRETS").path("value").asText()).isEqualTo("registry-credentials");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("640Mi");
        assertThat(env.get("LEADER_ELECTION").path("value").asText()).isEqualTo("false");
        assertThat(env.get("RECONCILE_THREADS").path("value").asText()).isEqualTo("6");
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
        assertThat(find(docs, "Service", "ark-operator-triggers").orElseThrow().path("spec").path("ports").get(0)
                .path("port").asInt()).isEqualTo(8093);
        for (JsonNode placed : List.of(pod, find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec"))) {
            assertThat(placed.path("nodeSelector").path("kubernetes.io/os").asText()).isEqualTo("linux");
            assertThat(placed.path("tolerations").get(0).path("key").asText()).isEqualTo("dedicated");
            assertThat(placed.path("affinity").path("nodeAffinity").isObject()).isTrue();
            assertThat(placed.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("registry-credentials");
        }
        assertThat(find(docs, "Deployment", "ark-redis").orElseThrow().path("spec").path("template").path("spec")
                .path("containers").get(0).path("image").asText()).isEqualTo("redis:7.2-alpine");

        // and every value of values.yaml is exercised here, in anOwnRedisAndPersistenceAreValuesToo or in the defaults
        Set<String> exercised = new TreeSet<>(leaves("", YAML.readTree(everyValue.toFile())));
        exercised.addAll(List.of("redis.persistence.enabled", "redis.persistence.size"));
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
}
