package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.cluster.kubelet.PodView;
import dev.arkonis.ark.http.TestCertificates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import dev.arkonis.ark.operator.shard.Shards;
import dev.arkonis.ark.telemetry.OtlpReceiver;
import dev.arkonis.ark.telemetry.Promlint;
import dev.arkonis.ark.telemetry.TraceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every value of the chart reaching the process that uses it: {@code helm upgrade} with each value changed, then
 * the operator's process (its environment, image, heap from its memory limit) and through it an agent's process
 * are looked at; {@code replicaCount} with leader election gets a second upgrade. The suite's values come back
 * after. Values that only shape Kubernetes objects are checked on the objects here and in HelmChartTest.
 */
@Order(60)
class HelmValuesIT {
    private static final String WATCHED = "values-watched";
    private static final String IGNORED = "values-ignored";
    private static ArkCluster cluster;
    private static ArkRelease ark;
    private static OtlpReceiver otlp;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
    }

    @AfterAll
    static void restore() {
        if (otlp != null) {
            otlp.close();
        }
        ark.changed();
        ark.upgradeToSuiteValues().assertSuccess();
        ark.ensureInstalled();
        TestNamespace.named(cluster, WATCHED).close();
        TestNamespace.named(cluster, IGNORED).close();
    }

    /** Every value of the chart changed from its default (HelmChartTest renders the same file). */
    static Path everyValue() {
        return Path.of("src/test/resources/cluster/every-value.yaml").toAbsolutePath();
    }


    @Test
    void everyValueReachesTheOperatorAndThroughItTheAgents() throws IOException, InterruptedException {
        cluster.admin.secrets().inNamespace(ArkRelease.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName("other-keys").endMetadata().addToStringData("OPENAI_API_KEY", "sk-other").build()).serverSideApply();
        ark.changed();
        String before = ark.awaitOperator().getMetadata().getName();
        // the Prometheus Operator's kinds (its API only) for serviceMonitor.enabled; traces go to a receiver here,
        // over gRPC as every-value.yaml says (HTTP/protobuf is proven by ark run's and the mock cluster's traces)
        cluster.kube.kubectl("apply", "-f", Path.of("src/test/resources/cluster/prometheus-operator-crds.yaml")
                .toAbsolutePath().toString()).assertSuccess();
        // triggerWebhook.tls.secretName names it: the webhook serves HTTPS with the tests' certificate
        cluster.admin.secrets().inNamespace(ArkRelease.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName("webhook-tls").endMetadata().withType("kubernetes.io/tls")
                .addToStringData("tls.crt", TestCertificates.certificate("first"))
                .addToStringData("tls.key", TestCertificates.key("first")).build()).serverSideApply();
        otlp = OtlpReceiver.grpc();
        // watchNamespaces: the chart puts the operator's Role (and the read-only dashboard's RoleBinding) into each of
        // them, so they exist first
        TestNamespace ignored = TestNamespace.named(cluster, IGNORED);
        TestNamespace watched = TestNamespace.named(cluster, WATCHED);
        ark.upgrade("--reset-values", "-f", everyValue().toString(), "--set", "otel.endpoint=" + otlp.endpoint())
                .assertSuccess();

        // without leader election there is no Lease to wait for: the new pod is the one that is ready
        Pod operator = eventually().atMost(Duration.ofSeconds(120)).until(() -> ark.operatorPods().stream()
                .filter(p -> !p.getMetadata().getName().equals(before) && p.getMetadata().getDeletionTimestamp() == null
                        && TestNamespace.ready(p)).findFirst().orElse(null), p -> p != null);
        PodSpec spec = operator.getSpec();
        assertThat(spec.getContainers().get(0).getImage()).isEqualTo("registry.example/ark:9.9.9");
        assertThat(spec.getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("640Mi");
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(spec.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(spec.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(spec.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(spec.getImagePullSecrets()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("registry-credentials"));
        assertThat(spec.getNodeName()).as("the scheduler honoured nodeSelector, affinity").isEqualTo(ArkCluster.NODE);

        // the read-only dashboard runs with its ServiceAccount's read rights and answers its probe
        Pod dashboard = eventually().atMost(Duration.ofSeconds(120)).until(() -> cluster.admin.pods()
                .inNamespace(ArkRelease.NAMESPACE).withLabel("app.kubernetes.io/name", "ark-dashboard").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && TestNamespace.ready(p)).findFirst().orElse(null),
                p -> p != null);
        assertThat(cluster.running(ArkRelease.NAMESPACE, dashboard.getMetadata().getName()).only().command())
                .contains("dashboard", "--read-only", "--sign-in=none", "--namespace=" + WATCHED);
        assertThat(cluster.kube.kubectl("auth", "can-i", "list", "arkruns.arkonis.dev", "-n", WATCHED,
                "--as=system:serviceaccount:" + ArkRelease.NAMESPACE + ":ark-dashboard").stdout().strip()).isEqualTo("yes");
        assertThat(cluster.kube.kubectl("auth", "can-i", "patch", "arkruns.arkonis.dev", "-n", WATCHED,
                "--as=system:serviceaccount:" + ArkRelease.NAMESPACE + ":ark-dashboard").stdout().strip()).isEqualTo("no");

        PodView process = cluster.running(ArkRelease.NAMESPACE, operator.getMetadata().getName());
        assertThat(process.only().command()).contains("-XX:MaxRAM=" + 640L * 1024 * 1024);
        assertThat(process.only().env())
                .containsEntry("TASK_QUEUE_URL", "redis://ark-redis.ark-system.svc.cluster.local:6379")
                .containsEntry("AGENT_IMAGE", "registry.example/ark-agent:1.0")
                .containsEntry("API_KEYS_SECRET", "other-keys")
                .containsEntry("API_KEYS_NAMESPACES", WATCHED)
                .containsEntry("AGENT_MAX_DAILY_TOKENS", "5000000")
                .containsEntry("AGENT_MAX_DAILY_COST", "12.5")
                .containsEntry("BUDGET_WARNING_PERCENT", "90")
                .containsEntry("MODEL_CATALOG", "{\"house-llm\":{\"contextWindow\":32000,\"prices\":{\"input\":0.5,\"output\":1.5}}}")
                .containsEntry("WATCH_NAMESPACES", WATCHED)
                .containsEntry("LEADER_ELECTION", "false")
                .containsEntry("RECONCILE_THREADS", "6")
                .containsEntry("MAX_RUNS_IN_FLIGHT", "250")
                .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
                .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                .containsEntry("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
                .containsEntry("OTEL_SERVICE_NAME", "ark-operator")
                .containsEntry("BUDGET_WINDOW_SECONDS", "20")
                .containsEntry("ARK_LOG_LEVEL", "DEBUG")
                .containsEntry("TRIGGER_WEBHOOK_URL", "https://hooks.example/ark")
                .containsEntry("NOTIFY_DASHBOARD_URL", "https://dashboard.example/ark")
                .containsEntry("OPERATOR_NAMESPACE", ArkRelease.NAMESPACE)
                .containsEntry("METRICS_AUTH", "false")
                .containsEntry("ARK_EGRESS_ALLOW", "127.0.0.0/8,10.20.0.0/16")
                .containsEntry("TRIGGER_WEBHOOK_ENABLED", "true");
        assertThat(process.only().env().get("TRIGGER_WEBHOOK_TLS_CERT_FILE")).as("the mounted Secret's file").endsWith("tls.crt");
        // the harness remaps the port to a free one (every pod shares the host's network); the pod asks for 8093
        assertThat(spec.getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("TRIGGER_WEBHOOK_PORT");
            assertThat(e.getValue()).isEqualTo("8093");
        });
        assertThat(process.only().env().get("AGENT_RESOURCES")).contains("384Mi");
        Pod redis = eventually().until(() -> cluster.admin.pods().inNamespace(ArkRelease.NAMESPACE)
                .withLabel("app.kubernetes.io/component", "redis").list().getItems().stream()
                .filter(p -> "redis:7.2-alpine".equals(p.getSpec().getContainers().get(0).getImage()) && TestNamespace.ready(p))
                .findFirst().orElse(null), p -> p != null);
        assertThat(redis.getSpec().getImagePullSecrets()).isNotEmpty();
        assertThat(redis.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString())
                .isEqualTo("320Mi");
        assertThat(process.only().env().get("TASK_QUEUE_PASSWORD")).as("taskQueue.existingSecret's password")
                .isNotEmpty().doesNotContain(":");
        try (QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            assertThat(queue.redis().configGet("maxmemory")).containsEntry("maxmemory", Long.toString(240L * 1024 * 1024));
            assertThat(queue.redis().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
        }
        assertThat(cluster.admin.network().networkPolicies().inNamespace(ArkRelease.NAMESPACE).withName("ark-redis").get())
                .as("redis.networkPolicy.enabled: false").isNull();

        // the team in a watched namespace runs, with agents as the values say; one elsewhere is left alone
        ignored.apply(ClusterTeams.LINEAR).assertSuccess();
        watched.apply(ClusterTeams.LINEAR).assertSuccess();
        watched.startRun("v1", "writers", "{topic: values}");
        watched.awaitPhase("v1", RunPhase.Succeeded, Duration.ofSeconds(120));
        Pod agent = cluster.admin.pods().inNamespace(WATCHED).withLabel("arkonis.dev/agent", "writers-writer").list()
                .getItems().get(0);
        assertThat(agent.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example/ark-agent:1.0");
        assertThat(agent.getSpec().getImagePullSecrets()).as("agents pull with the chart's imagePullSecrets")
                .extracting(io.fabric8.kubernetes.api.model.LocalObjectReference::getName).containsExactly("registry-credentials");
        assertThat(agent.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("384Mi");
        PodView agentProcess = cluster.running(WATCHED, agent.getMetadata().getName());
        assertThat(agentProcess.only().command()).contains("-XX:MaxRAM=" + 384L * 1024 * 1024);
        assertThat(agentProcess.only().env())
                .containsEntry("TASK_QUEUE_URL", "redis://ark-redis.ark-system.svc.cluster.local:6379")
                .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
                .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                .containsEntry("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
                .containsEntry("OTEL_SERVICE_NAME", "ark-agent")
                .containsEntry("OPENAI_API_KEY", "sk-other")
                .containsEntry("AGENT_BUDGET_WINDOW_SECONDS", "20")
                .containsEntry("ARK_EGRESS_ALLOW", "127.0.0.0/8,10.20.0.0/16");
        assertThat(cluster.kube.kubectl("get", "servicemonitor", "ark-operator", "-n", ArkRelease.NAMESPACE, "-o",
                "jsonpath={.spec.endpoints[0].port} {.spec.endpoints[0].interval}").stdout()).isEqualTo("http 15s");
        assertThat(cluster.kube.kubectl("get", "podmonitor", "ark-agents", "-n", ArkRelease.NAMESPACE, "-o",
                "jsonpath={.spec.namespaceSelector.matchNames[0]}").stdout()).isEqualTo(WATCHED);
        assertThat(cluster.kube.kubectl("get", "configmap", "ark-grafana-dashboard", "-n", ArkRelease.NAMESPACE, "-o",
                "jsonpath={.metadata.labels.grafana_dashboard}").stdout()).isEqualTo("ark");
        aThreeStepRunIsOneTraceAndItsCountsAreOnMetrics(watched, operator);
        aWebhookIsFiredOverHttpsWithTheMountedCertificate(watched, operator);
        assertThat(cluster.admin.resources(dev.arkonis.ark.api.ArkAgent.class).inNamespace(IGNORED).list().getItems())
                .as("a namespace the operator does not watch gets no agents").isEmpty();
        assertThat(holder()).as("without leader election the operator takes no Lease")
                .isNotEqualTo(operator.getMetadata().getName());

        // replicaCount, with leader election: two pods, each leading one of two shards of namespaces
        ark.upgrade("--reuse-values", "--set", "replicaCount=2", "--set", "leaderElection.enabled=true").assertSuccess();
        String watchedShard = Shards.leaseName(new Shards(2).of(WATCHED));
        // a rolling update of two JVM pods, one after the other: on a loaded machine each takes a minute or more
        eventually().atMost(Duration.ofSeconds(300)).untilAsserted(() -> {
            List<Pod> pods = ark.operatorPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            assertThat(pods).hasSize(2).allMatch(TestNamespace::ready);
            // both of the upgrade's template: a pod of the old one is about to go, its webhook with it
            assertThat(pods).extracting(p -> p.getMetadata().getLabels().get("pod-template-hash")).containsOnly(
                    pods.get(0).getMetadata().getLabels().get("pod-template-hash"));
            assertThat(cluster.admin.apps().deployments().inNamespace(ArkRelease.NAMESPACE).withName("ark-operator").get()
                    .getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(pods).extracting(p -> p.getMetadata().getName()).contains(holder(watchedShard));
        });

        // the triggers Service routes to either replica: the one that does not lead the namespace fires as well
        OperatorWebhook webhook = new OperatorWebhook(cluster);
        String token = webhook.token(WATCHED, "values-hook");
        Pod follower = ark.operatorPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && !p.getMetadata().getName().equals(holder(watchedShard))).findFirst().orElseThrow();
        OperatorWebhook.Reply fired = webhook.fireAt(follower, WATCHED, "values-hook", Optional.of(token),
                "{\"topic\": \"replicas\"}");
        assertThat(fired.status()).as("over HTTPS: " + fired.body()).isEqualTo(202);
        watched.awaitPhase(fired.body().path("runs").get(0).asText(), RunPhase.Succeeded, Duration.ofSeconds(60));
    }

    /** triggerWebhook.tls: the operator serves its webhooks over HTTPS with the Secret's certificate. */
    private static void aWebhookIsFiredOverHttpsWithTheMountedCertificate(TestNamespace watched, Pod operator) {
        watched.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: values-hook}
                spec:
                  source: {type: webhook}
                  targets: [{team: writers, input: {topic: "{{ .trigger.body.topic }}"}}]
                """).assertSuccess();
        eventually().until(() -> watched.kubectl("get", "arkevent", "values-hook", "-o", "jsonpath={.status.webhookURL}")
                .stdout().equals("https://hooks.example/ark/triggers/" + WATCHED + "/values-hook/fire"));
        OperatorWebhook webhook = new OperatorWebhook(cluster);
        OperatorWebhook.Reply fired = webhook.fireAt(operator, WATCHED, "values-hook",
                Optional.of(webhook.token(WATCHED, "values-hook")), "{\"topic\": \"tls\"}");
        assertThat(fired.status()).as("over HTTPS: " + fired.body()).isEqualTo(202);
    }

    /** Operator and agent processes send one trace per run to the chart's otel.endpoint, and count it on /metrics. */
    private static void aThreeStepRunIsOneTraceAndItsCountsAreOnMetrics(TestNamespace watched, Pod operator)
            throws IOException, InterruptedException {
        watched.apply(ClusterTeams.THREE_STEPS).assertSuccess();
        watched.startRun("t3", "trio", "{topic: traces}");
        watched.awaitPhase("t3", RunPhase.Succeeded, Duration.ofSeconds(120));
        String traceId = TraceContext.traceId(cluster.admin.resources(dev.arkonis.ark.api.ArkRun.class).inNamespace(WATCHED)
                .withName("t3").get().getMetadata().getUid());
        // the SDK's batch processor sends every few seconds: wait for the whole tree
        List<OtlpReceiver.Received> trace = eventually().atMost(Duration.ofSeconds(60)).until(() -> otlp.spans().stream()
                .filter(s -> s.traceId().equals(traceId)).toList(), spans -> spans.size() >= 1 + 3 * 4);
        OtlpReceiver.Received root = trace.stream().filter(s -> s.parentId().isEmpty()).findFirst().orElseThrow();
        assertThat(root.name()).isEqualTo("run trio");
        assertThat(root.service()).isEqualTo("ark-operator");
        List<OtlpReceiver.Received> steps = OtlpReceiver.children(trace, root);
        assertThat(steps).extracting(OtlpReceiver.Received::name)
                .containsExactlyInAnyOrder("step researcher", "step writer", "step editor");
        for (OtlpReceiver.Received step : steps) {
            String name = step.attribute("ark.step");
            List<OtlpReceiver.Received> below = OtlpReceiver.children(trace, step);
            assertThat(below).extracting(OtlpReceiver.Received::name).containsExactlyInAnyOrder("queue " + name, "task " + name);
            assertThat(below).allSatisfy(s -> assertThat(s.service()).isEqualTo("ark-agent"));
            OtlpReceiver.Received task = below.stream().filter(s -> s.name().startsWith("task")).findFirst().orElseThrow();
            assertThat(OtlpReceiver.children(trace, task)).singleElement().satisfies(call -> {
                assertThat(call.name()).isEqualTo("chat mock");
                assertThat(call.attribute("gen_ai.usage.input_tokens")).isEqualTo(step.attribute("gen_ai.usage.input_tokens"));
                assertThat(call.attribute("gen_ai.prompt")).as("otel.captureContent").isNotBlank();
            });
        }

        Promlint.Reading metrics = Promlint.read(metrics(ArkRelease.NAMESPACE, operator));
        assertThat(metrics.problems()).isEmpty();
        assertThat(metrics.value("ark_runs_total{namespace=\"" + WATCHED + "\",outcome=\"Succeeded\",team=\"trio\"}"))
                .isEqualTo(1);
        assertThat(metrics.sum("ark_steps_total{namespace=\"" + WATCHED + "\",outcome=\"succeeded\"")).isGreaterThanOrEqualTo(3);
        Pod editor = cluster.admin.pods().inNamespace(WATCHED).withLabel("arkonis.dev/agent", "trio-editor").list()
                .getItems().get(0);
        Promlint.Reading agent = Promlint.read(metrics(WATCHED, editor));
        assertThat(agent.problems()).isEmpty();
        assertThat(agent.value("ark_agent_tasks_total{status=\"succeeded\"}")).isEqualTo(1);
        assertThat(agent.value("ark_queue_pending{stream=\"" + WATCHED + ".trio.editor\"}")).isZero();
    }

    /** A pod's /metrics on the host port the harness gave its container port http (8080). */
    private static String metrics(String namespace, Pod pod) throws IOException {
        PodView view = cluster.running(namespace, pod.getMetadata().getName());
        Integer port = view.only().ports().get(8080);
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + view.ip() + ":" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String holder() {
        return holder("ark-operator");
    }

    private static String holder(String leaseName) {
        Lease lease = cluster.admin.leases().inNamespace(ArkRelease.NAMESPACE).withName(leaseName).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }
}
