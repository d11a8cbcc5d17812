package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.RunPhase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Least privilege, as the real API server saw it, in both of the chart's modes. Namespaced (watchNamespaces): the
 * operator holds Roles in the watched namespaces only, and runs, webhooks and referenced Secrets still work. Then,
 * over every real-cluster test before: the audit log holds each request of the operator's pods. None may have been
 * refused by RBAC or an admission policy, every (verb, resource) that config/rbac grants must have been used by
 * some scenario, and no Secret or ConfigMap was listed or watched beyond ark's own. Run it after the others (it is
 * ordered last but one); alone it reports the grants nothing used yet.
 */
@Order(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeastPrivilegeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String OPERATOR = "system:serviceaccount:" + ArkRelease.NAMESPACE + ":ark-operator";
    private static final String POD_NAME = "authentication.kubernetes.io/pod-name";

    /**
     * {@code update} on an owner's finalizers is not a request of its own: the OwnerReferencesPermissionEnforcement
     * admission plugin checks it when the operator creates a child that names the owner with blockOwnerDeletion.
     */
    private static final Map<String, String> FINALIZERS_USED_BY_CREATING = Map.of(
            "arkonis.dev arkteams/finalizers", "arkonis.dev arkagents",
            "arkonis.dev arkagents/finalizers", "apps deployments");

    /** Granted though no request uses it, each with its reason. */
    private static final Map<String, String> NEVER_REQUESTED = Map.of(
            "arkonis.dev arkruns get", "a run deleted while it still carries the finalizer older versions put on runs is"
                    + " read again to take it off",
            " secrets delete", "OwnerReferencesPermissionEnforcement: changing the API-key copy's owners takes the right"
                    + " to delete it; garbage collection, not the operator, deletes it",
            "coordination.k8s.io leases update", "JOSDK will not start leader election without it (it checks"
                    + " get, create, update); fabric8 then renews with patch");

    private final ArkCluster cluster = ArkCluster.get();

    @Test
    @Order(1)
    void aNamespacedInstallWorksWithRolesOnly() throws IOException {
        ArkRelease ark = cluster.ark();
        TestNamespace first = TestNamespace.create(cluster, "lp-one");
        TestNamespace second = TestNamespace.create(cluster, "lp-two");
        TestNamespace elsewhere = TestNamespace.create(cluster, "lp-unwatched");
        try {
            ark.upgrade("--reset-values", "-f", ArkRelease.suiteValues().toString(),
                    "--set", "watchNamespaces={" + first.name + "," + second.name + "}").assertSuccess();
            ark.changed();
            String pod = eventually().atMost(Duration.ofSeconds(120)).until(ark::awaitOperator,
                    p -> env(p).contains(first.name)).getMetadata().getName();

            // what the API server's authorizer says of the operator's ServiceAccount
            assertThat(can("list", "secrets", first.name)).isTrue();
            assertThat(can("create", "deployments", second.name)).isTrue();
            assertThat(can("list", "secrets", elsewhere.name)).as("Secrets of a namespace it does not watch").isFalse();
            assertThat(can("get", "secrets", "--all-namespaces")).isFalse();
            assertThat(can("create", "deployments", elsewhere.name)).isFalse();
            assertThat(can("list", "arkruns.arkonis.dev", "--all-namespaces")).isFalse();
            assertThat(can("get", "secrets/" + ArkRelease.API_KEYS_SECRET, ArkRelease.NAMESPACE)).isTrue();
            assertThat(can("get", "secrets/someone-elses", ArkRelease.NAMESPACE))
                    .as("in its own namespace, only the API-key Secret").isFalse();

            // a run whose prompt is a Secret, and a webhook whose token Secret the operator writes
            cluster.admin.secrets().inNamespace(first.name).resource(new SecretBuilder().withNewMetadata()
                    .withName("prompts").endMetadata().addToStringData("system", "You are brief.").build()).create();
            first.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: brief}
                    spec:
                      roles:
                        - name: r
                          model: m
                          provider: mock
                          systemPromptRef: {secretKeyRef: {name: prompts, key: system}}
                      pipeline: [{role: r, inputs: {prompt: hello}}]
                    """).assertSuccess();
            first.startRun("n1", "brief", "{}");
            first.awaitPhase("n1", RunPhase.Succeeded, Duration.ofSeconds(120));
            Pod agent = first.awaitReadyPods("brief-r", 1).get(0);
            assertThat(cluster.running(first.name, agent.getMetadata().getName()).only().env())
                    .containsEntry("AGENT_SYSTEM_PROMPT", "You are brief.")
                    .containsEntry("OPENAI_API_KEY", "sk-harness-test-key");
            // a changed referenced Secret still rolls the pods, though nothing watches it
            cluster.admin.secrets().inNamespace(first.name).withName("prompts").edit(s -> new SecretBuilder(s)
                    .withData(Map.of("system", java.util.Base64.getEncoder().encodeToString(
                            "You are briefer.".getBytes(StandardCharsets.UTF_8)))).build());
            Pod rolled = eventually().atMost(Duration.ofSeconds(90)).until(() -> first.awaitReadyPods("brief-r", 1).get(0),
                    p -> !p.getMetadata().getName().equals(agent.getMetadata().getName()));
            assertThat(cluster.running(first.name, rolled.getMetadata().getName()).only().env())
                    .containsEntry("AGENT_SYSTEM_PROMPT", "You are briefer.");

            second.apply(ClusterTeams.LINEAR).assertSuccess();
            second.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkEvent
                    metadata: {name: hook}
                    spec:
                      source: {type: webhook}
                      targets: [{team: writers, input: {topic: "{{ .trigger.body.topic }}"}}]
                    """).assertSuccess();
            OperatorWebhook webhook = new OperatorWebhook(cluster);
            OperatorWebhook.Reply fired = webhook.fire(second.name, "hook", Optional.of(webhook.token(second.name, "hook")),
                    "{\"topic\": \"roles\"}");
            assertThat(fired.status()).as(fired.body().toString()).isEqualTo(202);
            second.awaitPhase(fired.body().path("runs").get(0).asText(), RunPhase.Succeeded, Duration.ofSeconds(120));
            // a body without the topic, twice: one Warning that counts up (the Event's get and patch)
            for (int i = 0; i < 2; i++) {
                assertThat(webhook.fire(second.name, "hook", Optional.of(webhook.token(second.name, "hook")), "{}")
                        .status()).isEqualTo(400);
            }
            eventually().until(() -> cluster.admin.v1().events().inNamespace(second.name).list().getItems().stream()
                    .filter(e -> "InputTemplateFailed".equals(e.getReason())).mapToInt(e -> e.getCount() == null ? 0
                            : e.getCount()).sum() == 2);

            elsewhere.apply(ClusterTeams.LINEAR).assertSuccess();
            assertThat(cluster.admin.resources(dev.arkonis.ark.api.ArkAgent.class).inNamespace(elsewhere.name).list()
                    .getItems()).as("a namespace it does not watch gets no agents").isEmpty();

            List<JsonNode> requests = operatorRequests(e -> pod.equals(podOf(e)));
            assertThat(requests).as("the audit log shows the namespaced operator at work").isNotEmpty();
            assertThat(refusals(requests)).as("requests refused the namespaced operator").isEmpty();
        } finally {
            ark.changed();
            ark.upgradeToSuiteValues().assertSuccess();
            ark.ensureInstalled();
            first.close();
            second.close();
            elsewhere.close();
        }
    }

    @Test
    @Order(2)
    void theOperatorWasRefusedNothingAndUsedEveryVerbItIsGranted() throws IOException {
        cluster.ark();
        Map<String, Instant> replaced = ArkRelease.replacedPods();
        // a pod being replaced by an upgrade that takes rights away may be refused them before it stops
        List<JsonNode> requests = operatorRequests(e -> true);
        List<JsonNode> needed = requests.stream().filter(e -> !replaced.containsKey(podOf(e))
                || Instant.parse(e.path("requestReceivedTimestamp").asText()).isBefore(replaced.get(podOf(e)))).toList();
        Set<String> used = new TreeSet<>();
        requests.forEach(e -> used.add(call(e)));
        assertThat(used).as("the audit log shows the operator at work").isNotEmpty();
        assertThat(refusals(needed)).as("requests refused the operator").isEmpty();

        Set<String> granted = new TreeSet<>();
        for (String role : List.of("role.yaml", "cluster_role.yaml", "leader_election_role.yaml")) {
            granted.addAll(grants(Path.of("config/rbac", role)));
        }
        Set<String> unused = new TreeSet<>();
        for (String grant : granted) {
            String resource = grant.substring(0, grant.lastIndexOf(' '));
            String owned = FINALIZERS_USED_BY_CREATING.get(resource);
            // server-side apply creates by patch
            boolean usedByAdmission = owned != null && (used.contains(owned + " create") || used.contains(owned + " patch"));
            // an apply that creates is audited as a patch, and authorized as create too
            boolean createdByApply = grant.endsWith(" create") && used.contains(resource + " patch");
            if (!used.contains(grant) && !usedByAdmission && !createdByApply && !NEVER_REQUESTED.containsKey(grant)) {
                unused.add(grant);
            }
        }
        assertThat(unused).as("granted in config/rbac but used by no scenario (used: %s)", used).isEmpty();
    }

    @Test
    @Order(3)
    void theOperatorListsAndWatchesNoSecretOrConfigMapButArksOwn() throws IOException {
        Set<String> wide = new TreeSet<>();
        for (JsonNode e : operatorRequests(e -> Set.of("list", "watch").contains(e.path("verb").asText()))) {
            String resource = e.path("objectRef").path("resource").asText();
            String uri = URLDecoder.decode(e.path("requestURI").asText(), StandardCharsets.UTF_8);
            // ark's own by label; in its own namespace, the API-key Secret (whatever its name) by name
            boolean selected = uri.contains("labelSelector=app.kubernetes.io/managed-by=ark")
                    || uri.contains("labelSelector=arkonis.dev/event-token")
                    || (uri.startsWith("/api/v1/namespaces/" + ArkRelease.NAMESPACE + "/secrets?")
                    && uri.contains("fieldSelector=metadata.name="));
            if (resource.equals("configmaps") || (resource.equals("secrets") && !selected)) {
                wide.add(e.path("verb").asText() + " " + uri);
            }
        }
        assertThat(wide).isEmpty();
    }

    /** Requests of the operator's pods (not of tests holding its token, as AdmissionPolicyIT) that match. */
    private List<JsonNode> operatorRequests(Predicate<JsonNode> which) throws IOException {
        try (Stream<String> lines = Files.lines(cluster.kube.auditLog())) {
            return lines.map(LeastPrivilegeIT::parse)
                    .filter(e -> OPERATOR.equals(e.path("user").path("username").asText()))
                    .filter(e -> podOf(e) != null && !AdmissionPolicyIT.USER_AGENT.equals(e.path("userAgent").asText()))
                    .filter(e -> e.has("objectRef")).filter(which).toList();
        }
    }

    /** Requests RBAC or an admission policy refused, each as "group resource verb (uri)". */
    private static Set<String> refusals(List<JsonNode> requests) {
        Set<String> refused = new TreeSet<>();
        for (JsonNode e : requests) {
            JsonNode annotations = e.path("annotations");
            boolean forbidden = "forbid".equals(annotations.path("authorization.k8s.io/decision").asText());
            boolean denied = annotations.has("validation.policy.admission.k8s.io/validation_failure");
            if (forbidden || denied) {
                refused.add(call(e) + " (" + e.path("requestURI").asText() + (denied ? ", by an admission policy" : "") + ")");
            }
        }
        return refused;
    }

    /** The operator pod a request came from: its ServiceAccount token is bound to the pod. */
    private static String podOf(JsonNode event) {
        JsonNode name = event.path("user").path("extra").path(POD_NAME);
        return name.isArray() && !name.isEmpty() ? name.get(0).asText() : null;
    }

    private boolean can(String verb, String resource, String namespace) {
        List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource, "--as=" + OPERATOR));
        args.addAll(namespace.startsWith("--") ? List.of(namespace) : List.of("-n", namespace));
        return cluster.kube.kubectl(args.toArray(String[]::new)).exitCode() == 0;
    }

    private static String env(Pod pod) {
        return pod.getSpec().getContainers().get(0).getEnv().stream().filter(v -> "WATCH_NAMESPACES".equals(v.getName()))
                .map(v -> String.valueOf(v.getValue())).findFirst().orElse("");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("audit log line is not JSON: " + line, e);
        }
    }

    /** "group resource[/subresource] verb", as the rules name it. */
    private static String call(JsonNode event) {
        JsonNode ref = event.path("objectRef");
        String resource = ref.path("resource").asText();
        if (ref.hasNonNull("subresource")) {
            resource += "/" + ref.path("subresource").asText();
        }
        return ref.path("apiGroup").asText("") + " " + resource + " " + event.path("verb").asText();
    }

    private static List<String> grants(Path role) throws IOException {
        JsonNode rules = YAML.readTree(role.toFile()).path("rules");
        List<String> grants = new ArrayList<>();
        for (JsonNode rule : rules) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        grants.add(group.asText() + " " + resource.asText() + " " + verb.asText());
                    }
                }
            }
        }
        return grants;
    }
}
