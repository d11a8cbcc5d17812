package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.cluster.kubelet.PodView;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The install path as users walk it, on the real API server: {@code kubectl apply -f crds/} (and the objects its
 * rules refuse), {@code helm lint}, {@code helm install} with nothing set bringing up a working system, then
 * {@code helm upgrade}. The steps build on each other, in order; the release is left for the other tests.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final ArkCluster cluster = ArkCluster.get();

    @Test
    @Order(1)
    void theCrdsApplyWithKubectlAndAreEstablished() {
        Command.Result apply = cluster.release().applyCrds().assertSuccess();
        assertThat(apply.stdout()).containsPattern("customresourcedefinition.apiextensions.k8s.io/arkteams.arkonis.dev (created|configured|unchanged)")
                .contains("arkagents.arkonis.dev").contains("arkruns.arkonis.dev");
        for (String crd : List.of("arkteams.arkonis.dev", "arkagents.arkonis.dev", "arkruns.arkonis.dev")) {
            eventually().untilAsserted(() -> {
                CustomResourceDefinition found = cluster.admin.apiextensions().v1().customResourceDefinitions()
                        .withName(crd).get();
                assertThat(found.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Established");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
            });
        }
    }

    @Test
    @Order(2)
    void theApiServerRefusesWhatTheCrdRulesForbidNamingTheField() {
        try (TestNamespace ns = TestNamespace.create(cluster, "crd-rules")) {
            assertRefused(ns, team("roles: [{name: a, model: m}]", "pipeline: [{role: a, dependsOn: [nope]}]"),
                    "spec.pipeline: Invalid value", "every dependsOn must name a step of this pipeline");
            assertRefused(ns, team("roles: [{name: a, model: m}]", "pipeline: []"),
                    "spec.pipeline: Invalid value", "pipeline must have at least one step");
            assertRefused(ns, team("roles: [{name: a, model: m}, {name: a, model: m2}]", "pipeline: [{role: a}]"),
                    "spec.roles: Invalid value", "role names must be unique");
            assertRefused(ns, team("roles: [{name: a, model: m}]", "pipeline: [{role: b}]"),
                    "spec.pipeline: Invalid value", "every step's role must name a role of this team");
            assertRefused(ns, team("roles: [{name: a, model: m, provider: gemini}]", "pipeline: [{role: a}]"),
                    "spec.roles[0].provider: Unsupported value: \"gemini\"", "\"anthropic\", \"mock\", \"openai\"");
            assertRefused(ns, team("roles: [{name: a, model: m, replicas: -1}]", "pipeline: [{role: a}]"),
                    "spec.roles[0].replicas", "should be greater than or equal to 0");
            assertRefused(ns, """
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: bad-agent}
                    spec: {model: m, replicas: -1}
                    """, "spec.replicas", "should be greater than or equal to 0");
            assertRefused(ns, """
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: bad-run}
                    spec: {input: {}}
                    """, "spec: Invalid value", "set teamRef.name (or team)");
            assertRefused(ns, team(mcpRole("{clientId: ark}"), "pipeline: [{role: a}]"),
                    "spec.roles[0].mcpServers[0].auth.clientCredentials: Invalid value",
                    "set exactly one of clientSecretRef and privateKeyRef");
            assertRefused(ns, team(mcpRole("{clientId: ark, clientSecretRef: {name: s, key: k}, "
                            + "tokenEndpointAuthMethod: private_key_jwt}"), "pipeline: [{role: a}]"),
                    "spec.roles[0].mcpServers[0].auth.clientCredentials: Invalid value",
                    "private_key_jwt signs with privateKeyRef");
            // and a good team goes in
            ns.apply(team("roles: [{name: a, model: m, provider: mock}]", "pipeline: [{role: a}]")).assertSuccess();
            ns.apply(team(mcpRole("{clientId: ark, privateKeyRef: {name: s, key: k}}"), "pipeline: [{role: a}]")
                    .replace("name: t}", "name: t2}")).assertSuccess();
        }
    }

    private static String mcpRole(String clientCredentials) {
        return "roles: [{name: a, model: m, mcpServers: [{name: w, url: \"https://w.example/mcp\", auth: {clientCredentials: "
                + clientCredentials + "}}]}]";
    }

    private static String team(String roles, String pipeline) {
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: t}
                spec:
                  %s
                  %s
                """.formatted(roles, pipeline);
    }

    private static void assertRefused(TestNamespace ns, String yaml, String... phrases) {
        Command.Result result = ns.apply(yaml);
        assertThat(result.exitCode()).as(result.transcript()).isNotZero();
        assertThat(result.stderr()).as(result.transcript()).contains("is invalid").contains(phrases);
    }

    @Test
    @Order(3)
    void theChartLintsWithTheRealHelm() {
        Command.Result lint = cluster.kube.helm("lint", "--strict", "./" + ArkRelease.CHART).assertSuccess();
        assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @Test
    @Order(4)
    void helmInstallWithNothingSetBringsUpAWorkingSystem() throws IOException {
        ArkRelease release = cluster.release();
        if (release.isInstalled()) {
            cluster.kube.helm("uninstall", ArkRelease.NAME, "-n", ArkRelease.NAMESPACE, "--wait").assertSuccess();
        }
        release.changed();
        Command.Result install = release.installDefault().assertSuccess();
        assertThat(install.stdout()).contains("STATUS: deployed", "REVISION: 1",
                "deployment/ark-operator: 1 replica(s) of arkonis/ark:0.1.0, leader election on (Lease ark-system/ark-operator)",
                "task queue: redis://ark-redis.ark-system.svc:6379 (the chart's Redis, deployment/ark-redis)",
                "kubectl rollout status deployment/ark-operator -n ark-system");

        // every object of the chart exists
        List<JsonNode> manifest = docs(cluster.kube.helm("get", "manifest", ArkRelease.NAME, "-n", ArkRelease.NAMESPACE)
                .assertSuccess().stdout());
        assertThat(manifest).extracting(d -> d.path("kind").asText()).contains("ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
        for (JsonNode doc : manifest) {
            String apiVersion = doc.path("apiVersion").asText();
            String kind = doc.path("kind").asText();
            String name = doc.path("metadata").path("name").asText();
            String namespace = doc.path("metadata").path("namespace").asText(null);
            GenericKubernetesResource found = namespace == null
                    ? cluster.admin.genericKubernetesResources(apiVersion, kind).withName(name).get()
                    : cluster.admin.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
            assertThat(found).as(kind + " " + name).isNotNull();
        }

        Pod operator = release.awaitOperator();
        Command.Result rollout = cluster.kube.kubectl("rollout", "status", "deployment/ark-operator", "-n",
                ArkRelease.NAMESPACE, "--timeout=60s").assertSuccess();
        assertThat(rollout.stdout()).contains("deployment \"ark-operator\" successfully rolled out");
        PodView process = cluster.running(ArkRelease.NAMESPACE, operator.getMetadata().getName());
        assertThat(process.only().command()).containsSubsequence("dev.arkonis.ark.cli.Main", "operator");
        assertThat(process.only().env()).containsEntry("TASK_QUEUE_URL", "redis://ark-redis.ark-system.svc:6379")
                .containsEntry("OPERATOR_NAMESPACE", "ark-system").containsEntry("LEADER_ELECTION", "true")
                .containsEntry("API_KEYS_SECRET", "");

        // and it works: a team runs through agent pods on the chart's Redis
        try (TestNamespace ns = TestNamespace.create(cluster, "default-install")) {
            ns.apply(ClusterTeams.LINEAR).assertSuccess();
            ns.startRun("first", "writers", "{topic: installs}");
            RunStatus status = ns.awaitPhase("first", RunPhase.Succeeded, Duration.ofSeconds(120));
            assertThat(status.output()).startsWith("final: mock answer to: Write from mock answer to: Research installs");
        }
    }

    @Test
    @Order(5)
    void helmUpgradeRollsTheOperatorToNewValues() {
        ArkRelease release = cluster.release();
        String before = release.awaitOperator().getMetadata().getName();
        Command.Result upgrade = release.upgradeToSuiteValues().assertSuccess();
        assertThat(upgrade.stdout()).contains("has been upgraded", "REVISION: 2",
                "API keys: Secret ark-system/llm-keys, copied next to every agent as ark-operator.api-keys");
        Pod after = eventually().atMost(Duration.ofSeconds(120)).until(release::awaitOperator,
                p -> !p.getMetadata().getName().equals(before));
        PodView process = cluster.running(ArkRelease.NAMESPACE, after.getMetadata().getName());
        assertThat(process.only().env()).containsEntry("BUDGET_WINDOW_SECONDS", "20")
                .containsEntry("API_KEYS_SECRET", ArkRelease.API_KEYS_SECRET);
        eventually().until(() -> release.operatorPods().stream().map(p -> p.getMetadata().getName())
                .noneMatch(before::equals));
        release.ensureInstalled();
    }

    private static List<JsonNode> docs(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs.stream().filter(Objects::nonNull).toList();
    }
}
