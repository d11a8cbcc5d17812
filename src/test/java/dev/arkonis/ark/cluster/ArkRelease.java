package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;

import dev.arkonis.ark.cluster.kubelet.PodView;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ark Helm release in ark-system as the suite runs it: CRDs applied with kubectl, the chart installed with
 * no values at all into a namespace that enforces the {@code restricted} Pod Security Standard, then upgraded with
 * {@code suite-values.yaml}; the operator counts as up when its Deployment is rolled out and its pod holds the
 * leader Lease.
 */
public final class ArkRelease {
    public static final String NAMESPACE = "ark-system";
    public static final String NAME = "ark";
    public static final String CHART = "helm/ark";
    public static final String API_KEYS_SECRET = "llm-keys";
    /** Images of {@code HelmValuesIT}; the harness runs them as the ark image. */
    public static final String OTHER_OPERATOR_IMAGE = "registry.example/ark";
    public static final String OTHER_AGENT_IMAGE = "registry.example/ark-agent";
    public static final Duration BUDGET_WINDOW = Duration.ofSeconds(20);
    public static final String RESTRICTED = "pod-security.kubernetes.io/enforce";
    /** The ServiceAccount the suite scrapes the operator's /metrics as, bound to the chart's ark-metrics-reader. */
    public static final String SCRAPER = "suite-scraper";
    /** The chart's Secret of the operator's Redis credentials. */
    public static final String REDIS_SECRET = "ark-redis";

    /** Operator pods that an upgrade was about to replace, and when it started (see {@link #upgrade}). */
    private static final Map<String, Instant> REPLACED = new ConcurrentHashMap<>();

    private final ArkCluster cluster;
    private boolean suiteReady;

    ArkRelease(ArkCluster cluster) {
        this.cluster = cluster;
    }

    public static Path suiteValues() {
        return Path.of("src/test/resources/cluster/suite-values.yaml").toAbsolutePath();
    }

    public Command.Result applyCrds() {
        return cluster.kube.kubectl("apply", "-f", "crds/");
    }

    /**
     * {@code helm install ark ./helm/ark -n ark-system --create-namespace}, nothing set, into a namespace labelled
     * {@code pod-security.kubernetes.io/enforce=restricted}: the API server admits only pods that meet the standard.
     */
    public Command.Result installDefault() {
        restricted(cluster, NAMESPACE);
        return cluster.kube.helm("install", NAME, "./" + CHART, "-n", NAMESPACE, "--create-namespace");
    }

    /** The namespace (created if missing) enforces the restricted Pod Security Standard. */
    public static void restricted(ArkCluster cluster, String namespace) {
        cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(RESTRICTED, "restricted").endMetadata().build()).serverSideApply();
    }

    /** The suite's values on top of the defaults: the API-key Secret (created first) and a short budget window. */
    public Command.Result upgradeToSuiteValues() {
        cluster.admin.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(API_KEYS_SECRET).withNamespace(NAMESPACE).endMetadata()
                .addToStringData("OPENAI_API_KEY", "sk-harness-test-key").build()).serverSideApply();
        return upgrade("--reset-values", "-f", suiteValues().toString());
    }

    /**
     * {@code helm upgrade ark ./helm/ark -n ark-system <args>}. The operator pods running now are noted as replaced
     * from this moment: an upgrade may take rights away (another watchNamespaces, leader election off) before the
     * pods it replaces have stopped, so LeastPrivilegeIT does not count their refusals from then on as needs.
     */
    public Command.Result upgrade(String... args) {
        Instant now = Instant.now();
        operatorPods().forEach(p -> REPLACED.putIfAbsent(p.getMetadata().getName(), now));
        List<String> command = new java.util.ArrayList<>(List.of("upgrade", NAME, "./" + CHART, "-n", NAMESPACE));
        command.addAll(List.of(args));
        return cluster.kube.helm(command.toArray(String[]::new));
    }

    /** Operator pods an upgrade replaced, each with when that upgrade began. */
    public static Map<String, Instant> replacedPods() {
        return Map.copyOf(REPLACED);
    }

    public boolean isInstalled() {
        return cluster.kube.helm("status", NAME, "-n", NAMESPACE).exitCode() == 0;
    }

    /** Installs as the suite expects unless a test did already; then waits for the operator. */
    public synchronized void ensureInstalled() {
        if (suiteReady) {
            return;
        }
        if (!isInstalled()) {
            applyCrds().assertSuccess();
            installDefault().assertSuccess();
        }
        if (!cluster.kube.helm("get", "values", NAME, "-n", NAMESPACE).stdout().contains("RESULT_CLAIM_IDLE_SECONDS")) {
            upgradeToSuiteValues().assertSuccess();
        }
        awaitOperator();
        suiteReady = true;
    }

    /** A test changed the release (values, uninstall): the next {@link #ensureInstalled} checks again. */
    public synchronized void changed() {
        suiteReady = false;
    }

    /** Waits until deployment/ark-operator is rolled out, its one pod is ready and holds the leader Lease. */
    public Pod awaitOperator() {
        return eventually().atMost(Duration.ofSeconds(120)).until(this::leadingOperatorPod, Objects::nonNull);
    }

    private Pod leadingOperatorPod() {
        Deployment d = cluster.admin.apps().deployments().inNamespace(NAMESPACE).withName("ark-operator").get();
        if (d == null || d.getStatus() == null) {
            return null;
        }
        int want = d.getSpec().getReplicas();
        var s = d.getStatus();
        if (!Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
                || !Objects.equals(s.getUpdatedReplicas(), want) || !Objects.equals(s.getReadyReplicas(), want)
                || !Objects.equals(s.getReplicas(), want)) {
            return null;
        }
        List<Pod> pods = operatorPods();
        Lease lease = cluster.admin.leases().inNamespace(NAMESPACE).withName("ark-operator").get();
        String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getMetadata().getName().equals(holder)).findFirst().orElse(null);
    }

    public List<Pod> operatorPods() {
        return cluster.admin.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "ark-operator")
                .list().getItems();
    }

    /** The chart's Redis as a port-forward would give it: its pod's address, no credentials. */
    public String redisAddress() {
        Pod redis = eventually().until(() -> cluster.admin.pods().inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/component", "redis").list().getItems().stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null
                        && p.getMetadata().getDeletionTimestamp() == null).findFirst().orElse(null), Objects::nonNull);
        return "redis://" + redis.getStatus().getPodIP() + ":6379";
    }

    /** The same with the operator's password (the chart's Secret) in the URL, for the tests' probes. */
    public String redisUrl() {
        return redisAddress().replace("redis://", "redis://:" + operatorPassword() + "@");
    }

    /** What `ark status` is given to read Redis: the URL, and the operator's password beside it. */
    public Map<String, String> redisEnv() {
        return Map.of("TASK_QUEUE_URL", redisAddress(), "TASK_QUEUE_PASSWORD", operatorPassword());
    }

    private String operatorPassword() {
        Secret secret = cluster.admin.secrets().inNamespace(NAMESPACE).withName(REDIS_SECRET).get();
        return new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
    }

    /**
     * The leading operator's /metrics as Prometheus scrapes it: with the token of a ServiceAccount that the chart's
     * ark-metrics-reader allows to read them (the chart's default metrics.auth).
     */
    public String operatorMetrics() throws IOException {
        Pod operator = awaitOperator();
        PodView view = cluster.running(NAMESPACE, operator.getMetadata().getName());
        URI uri = URI.create("http://" + view.ip() + ":" + view.only().ports().get(8080) + "/metrics");
        String token = scraperToken();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20)).build();
        // the API server's authorizer reads a new binding a moment after it is written
        return eventually().until(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200).body();
    }

    private String scraperToken() {
        cluster.admin.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(SCRAPER).endMetadata().build()).serverSideApply();
        cluster.admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName(SCRAPER).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("ark-metrics-reader").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(SCRAPER).withNamespace(NAMESPACE).endSubject()
                .build()).serverSideApply();
        return cluster.admin.serviceAccounts().inNamespace(NAMESPACE).withName(SCRAPER).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
    }
}
