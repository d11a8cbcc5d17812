package dev.arkonis.ark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.TeamRef;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Who decided an approval step, as the real API server enforces it (the chart's ValidatingAdmissionPolicy
 * ark-approvals): a decision holds the requester's own user name, needs the verb approve (ClusterRole ark-approver),
 * is never changed once made, and its comment comes with it. alice may approve, bob may patch runs but not approve.
 */
@Order(56)
class ApprovalPolicyIT {
    private static ArkCluster cluster;
    private static TestNamespace ns;
    private static KubernetesClient alice;
    private static KubernetesClient bob;
    private static String aliceName;
    private static String bobName;
    private static ClusterUsers users;

    @BeforeAll
    static void twoUsers() {
        cluster = ArkCluster.get();
        cluster.ark();
        ns = TestNamespace.create(cluster, "approvals");
        KubernetesClient admin = cluster.admin;
        admin.rbac().roles().inNamespace(ns.name).resource(new RoleBuilder().withNewMetadata().withName("run-editor")
                .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("arkonis.dev").withResources("arkruns")
                        .withVerbs("get", "list", "patch", "update").build()).build()).create();
        users = new ClusterUsers(cluster, ns);
        users.add("alice", Map.of("run-editor", "Role", "ark-approver", "ClusterRole"));
        users.add("bob", Map.of("run-editor", "Role"));
        alice = users.client("alice", "approval-policy-it");
        bob = users.client("bob", "approval-policy-it");
        aliceName = users.name("alice");
        bobName = users.name("bob");
    }

    @AfterAll
    static void close() {
        alice.close();
        bob.close();
        ns.close();
    }

    private static String run(String name) {
        ArkRun run = new ArkRun();
        run.getMetadata().setName(name);
        run.setSpec(new RunSpec(new TeamRef("nobody"), null, null, null, null));
        cluster.admin.resources(ArkRun.class).inNamespace(ns.name).resource(run).create();
        return name;
    }

    private static Map<String, String> annotations(String run) {
        Map<String, String> all = cluster.admin.resources(ArkRun.class).inNamespace(ns.name).withName(run).get()
                .getMetadata().getAnnotations();
        return all == null ? Map.of() : all;
    }

    private static void annotate(KubernetesClient as, String run, Map<String, String> annotations) {
        Map<String, Object> values = new HashMap<>(annotations);
        String patch = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                Map.of("metadata", Map.of("annotations", values))).toString();
        as.resources(ArkRun.class).inNamespace(ns.name).withName(run).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    private static void refused(Runnable request, String because) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
            assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy 'ark-approvals'").contains(because);
        });
    }

    @Test
    void aDecisionHoldsTheDecidersOwnNameAsTheApiServerKnowsThem() {
        String run = run("own-name");
        refused(() -> annotate(alice, run, Map.of("approve.arkonis.dev/gate", "the-cto")),
                "must hold your own user name as the API server knows you (" + aliceName);
        refused(() -> annotate(alice, run, Map.of("approve.arkonis.dev/gate", bobName)), "your own user name");
        refused(() -> annotate(alice, run, Map.of("approve.arkonis.dev/gate", "link:forged")), "your own user name");
        assertThat(annotations(run)).doesNotContainKey("approve.arkonis.dev/gate");

        annotate(alice, run, Map.of("approve.arkonis.dev/gate", aliceName, "comment.arkonis.dev/gate", "ship it"));
        assertThat(annotations(run)).containsEntry("approve.arkonis.dev/gate", aliceName)
                .containsEntry("comment.arkonis.dev/gate", "ship it");
    }

    @Test
    void onlyWhoHoldsTheVerbApproveMayDecideThoughOthersMayEditTheRun() {
        String run = run("verb");
        refused(() -> annotate(bob, run, Map.of("reject.arkonis.dev/gate", bobName)),
                "needs the verb approve on arkruns (ClusterRole ark-approver), which " + bobName + " does not have here");
        annotate(bob, run, Map.of("team-note", "bob may still edit the run"));
        assertThat(annotations(run)).containsEntry("team-note", "bob may still edit the run")
                .doesNotContainKey("reject.arkonis.dev/gate");
    }

    @Test
    void aDecisionIsNeverChangedOrRemovedAndItsCommentComesWithIt() {
        String run = run("fixed");
        refused(() -> annotate(alice, run, Map.of("comment.arkonis.dev/gate", "a comment someone else decides under")),
                "written with its decision");
        annotate(alice, run, Map.of("reject.arkonis.dev/gate", aliceName));
        refused(() -> annotate(alice, run, Map.of("comment.arkonis.dev/gate", "added afterwards")), "written with its decision");
        refused(() -> annotate(alice, run, Map.of("approve.arkonis.dev/gate", aliceName)), "approved or rejected, not both");
        Map<String, Object> removal = new HashMap<>();
        removal.put("reject.arkonis.dev/gate", null);
        refused(() -> alice.resources(ArkRun.class).inNamespace(ns.name).withName(run).patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"reject.arkonis.dev/gate\":null}}}"),
                "never changed or removed");
        refused(() -> cluster.admin.resources(ArkRun.class).inNamespace(ns.name).withName(run).patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"reject.arkonis.dev/gate\":\"admin\"}}}"),
                "never changed or removed");
        assertThat(annotations(run)).containsEntry("reject.arkonis.dev/gate", aliceName);
    }

    @Test
    void theOperatorAloneMayRecordADecisionMadeThroughASignedLink() {
        String run = run("link");
        String token = cluster.admin.serviceAccounts().inNamespace(ArkRelease.NAMESPACE).withName("ark-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
        try (KubernetesClient operator = cluster.kube.clientWithToken(token, AdmissionPolicyIT.USER_AGENT)) {
            annotate(operator, run, Map.of("approve.arkonis.dev/gate", "link:" + ns.name + "/ops"));
        }
        assertThat(annotations(run)).containsEntry("approve.arkonis.dev/gate", "link:" + ns.name + "/ops");
    }

    @Test
    void kubectlAnnotateWithKubectlAuthWhoamiIsTheDocumentedWay() throws Exception {
        String run = run("kubectl");
        Path kubeconfig = users.kubeconfig("alice");
        try {
            // as the README writes it
            Command.Result annotated = Transcripts.keep(Command.run(List.of("sh", "-c", "kubectl annotate arkrun " + run
                    + " -n " + ns.name + " approve.arkonis.dev/gate=\"$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}')\""
                    + " comment.arkonis.dev/gate='looks good'"), users.shellEnv(kubeconfig), Duration.ofSeconds(60)));
            assertThat(annotated.exitCode()).as(annotated.transcript()).isZero();
            assertThat(annotations(run)).containsEntry("approve.arkonis.dev/gate", aliceName)
                    .containsEntry("comment.arkonis.dev/gate", "looks good");
        } finally {
            Files.deleteIfExists(kubeconfig);
        }
    }
}
