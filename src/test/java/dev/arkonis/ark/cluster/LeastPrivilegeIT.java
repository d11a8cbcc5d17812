package dev.arkonis.ark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, as the real API server saw it: after every other real-cluster test, the audit log holds each
 * request of the operator's ServiceAccount. No request may have been refused by RBAC, and every (verb, resource)
 * that config/rbac grants must have been used by some scenario. Run it after the others (it is ordered last but
 * one); alone it reports the grants nothing used yet.
 */
@Order(900)
class LeastPrivilegeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String OPERATOR = "system:serviceaccount:" + ArkRelease.NAMESPACE + ":ark-operator";

    /**
     * {@code update} on an owner's finalizers is not a request of its own: the OwnerReferencesPermissionEnforcement
     * admission plugin checks it when the operator creates a child that names the owner with blockOwnerDeletion.
     */
    private static final Map<String, String> FINALIZERS_USED_BY_CREATING = Map.of(
            "arkonis.dev arkteams/finalizers", "arkonis.dev arkagents",
            "arkonis.dev arkagents/finalizers", "apps deployments");

    /** Granted though no request uses it, each with its reason. */
    private static final Map<String, String> NEVER_REQUESTED = Map.of(
            "arkonis.dev arkruns get", "JOSDK re-reads a run when a patch of its finalizer conflicts",
            " secrets delete", "OwnerReferencesPermissionEnforcement: changing the API-key copy's owners takes the right"
                    + " to delete it; garbage collection, not the operator, deletes it",
            "coordination.k8s.io leases update", "JOSDK will not start leader election without it (it checks"
                    + " get, create, update); fabric8 then renews with patch");

    private final ArkCluster cluster = ArkCluster.get();

    @Test
    void theOperatorWasRefusedNothingAndUsedEveryVerbItIsGranted() throws IOException {
        cluster.ark();
        Set<String> used = new TreeSet<>();
        Set<String> refused = new TreeSet<>();
        try (Stream<String> lines = Files.lines(cluster.kube.auditLog())) {
            lines.map(LeastPrivilegeIT::parse).filter(e -> OPERATOR.equals(e.path("user").path("username").asText()))
                    .filter(e -> e.has("objectRef")).forEach(e -> {
                        String call = call(e.path("objectRef"), e.path("verb").asText());
                        used.add(call);
                        if ("forbid".equals(e.path("annotations").path("authorization.k8s.io/decision").asText())) {
                            refused.add(call + " (" + e.path("requestURI").asText() + ")");
                        }
                    });
        }
        Set<String> granted = new TreeSet<>();
        granted.addAll(grants(Path.of("config/rbac/role.yaml")));
        granted.addAll(grants(Path.of("config/rbac/leader_election_role.yaml")));
        assertThat(used).as("the audit log shows the operator at work").isNotEmpty();
        // the one refusal that is no missing grant: HelmValuesIT turns leader election off, which removes the
        // Lease Role while the pod being replaced still renews its Lease
        refused.removeIf(call -> call.startsWith("coordination.k8s.io leases ") && granted.contains(call.substring(0, call.indexOf(" ("))));
        assertThat(refused).as("requests RBAC refused the operator").isEmpty();
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

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("audit log line is not JSON: " + line, e);
        }
    }

    /** "group resource[/subresource] verb", as the rules name it. */
    private static String call(JsonNode ref, String verb) {
        String resource = ref.path("resource").asText();
        if (ref.hasNonNull("subresource")) {
            resource += "/" + ref.path("subresource").asText();
        }
        return ref.path("apiGroup").asText("") + " " + resource + " " + verb;
    }

    private static List<String> grants(Path role) throws IOException {
        JsonNode rules = YAML.readTree(role.toFile()).path("rules");
        List<String> grants = new java.util.ArrayList<>();
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
