package dev.arkonis.ark.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's admission policies, as the real API server enforces them on the operator's ServiceAccount: with its
 * credentials (a token from the TokenRequest API, as its pod has) only ark's Deployments and Secrets can be written;
 * anything else is refused, while the cluster admin is not bound by them. Its requests carry a user agent of their
 * own, which LeastPrivilegeIT leaves out of what the operator did.
 */
@Order(55)
class AdmissionPolicyIT {
    static final String USER_AGENT = "ark-admission-policy-it";
    private static final String AGENT_IMAGE = "arkonis/ark:0.1.0";
    private static final Map<String, String> ARK = Map.of("app.kubernetes.io/managed-by", "ark");

    private static ArkCluster cluster;
    private static TestNamespace ns;
    private static KubernetesClient operator;

    @BeforeAll
    static void asTheOperator() {
        cluster = ArkCluster.get();
        cluster.ark();
        ns = TestNamespace.create(cluster, "admission");
        String token = cluster.admin.serviceAccounts().inNamespace(ArkRelease.NAMESPACE).withName("ark-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
        operator = cluster.kube.clientWithToken(token, USER_AGENT);
    }

    @AfterAll
    static void close() {
        operator.close();
        ns.close();
    }

    @Test
    void theOperatorMayCreateOnlyDeploymentsOfArkAgentsRunningTheAgentImage() {
        refused(() -> create(deployment("web", Map.of(), "nginx:1.27")), "Deployments of ark agents");
        refused(() -> create(deployment("miner", agentLabels("miner"), "evil.example/miner:1")), "the agent image");
        refused(() -> create(edit(deployment("shell", agentLabels("shell"), AGENT_IMAGE), d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setCommand(java.util.List.of("sh", "-c", "id"));
            return d;
        })), "the agent image");
        refused(() -> create(edit(deployment("privileged-sa", agentLabels("privileged-sa"), AGENT_IMAGE), d -> {
            d.getSpec().getTemplate().getSpec().setServiceAccountName("deployer");
            d.getSpec().getTemplate().getSpec().setAutomountServiceAccountToken(true);
            return d;
        })), "without its token");
        refused(() -> create(edit(deployment("host", agentLabels("host"), AGENT_IMAGE), d -> {
            d.getSpec().getTemplate().getSpec().setHostNetwork(true);
            return d;
        })), "no host namespaces");

        Deployment own = create(deployment("own", agentLabels("own"), AGENT_IMAGE));
        assertThat(own.getMetadata().getUid()).as("ark's own agent Deployment is admitted").isNotBlank();
        // changed as the operator changes its Deployments: by server-side apply (it may not get them)
        Deployment changed = apply(edit(deployment("own", agentLabels("own"), AGENT_IMAGE), d -> {
            d.getMetadata().setAnnotations(Map.of("arkonis.dev/desired-hash", "changed"));
            return d;
        }));
        assertThat(changed.getMetadata().getAnnotations()).containsEntry("arkonis.dev/desired-hash", "changed");
    }

    @Test
    void theOperatorCannotTakeOverSomeoneElsesDeployment() {
        // the cluster admin is not bound by the policy
        cluster.admin.apps().deployments().inNamespace(ns.name).resource(deployment("theirs", Map.of("app", "theirs"),
                "nginx:1.27")).create();
        Deployment takeover = deployment("theirs", agentLabels("theirs"), AGENT_IMAGE);
        refused(() -> apply(takeover), "already are ark's");
        assertThat(cluster.admin.apps().deployments().inNamespace(ns.name).withName("theirs").get().getMetadata()
                .getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
    }

    @Test
    void theOperatorMayWriteOnlySecretsOfArksNames() {
        refused(() -> create(secret("db-password", ARK, "Opaque")), "only ark's Secrets");
        refused(() -> create(secret("ark-operator.api-keys", Map.of(), "Opaque")), "labelled app.kubernetes.io/managed-by=ark");
        refused(() -> create(secret("deploy-webhook-token", ARK, "Opaque")), "only ark's Secrets");
        // a token Secret would be filled with a token of the ServiceAccount it names
        refused(() -> create(edit(secret("hook-webhook-token", eventToken("hook"), "kubernetes.io/service-account-token"),
                s -> {
                    s.getMetadata().setAnnotations(Map.of("kubernetes.io/service-account.name", "default"));
                    return s;
                })), "of type Opaque");

        assertThat(create(secret("ark-operator.api-keys", ARK, "Opaque")).getMetadata().getUid()).isNotBlank();
        assertThat(create(secret("hook-webhook-token", eventToken("hook"), "Opaque")).getMetadata().getUid()).isNotBlank();
        Map<String, String> credentials = Map.of("app.kubernetes.io/managed-by", "ark", "arkonis.dev/agent", "team-r");
        assertThat(create(secret("team-r-queue-credentials", credentials, "Opaque")).getMetadata().getUid()).isNotBlank();
        // the operator writes Secrets by create and update (it holds no patch on them)
        Secret updated = operator.secrets().inNamespace(ns.name).resource(new SecretBuilder(operator.secrets()
                .inNamespace(ns.name).withName("ark-operator.api-keys").get()).addToStringData("OPENAI_API_KEY", "sk-rotated")
                .build()).update();
        assertThat(updated.getData()).containsKey("OPENAI_API_KEY");
        assertThat(operator.secrets().inNamespace(ns.name).withName("team-r-queue-credentials").delete()).isNotEmpty();
    }

    @Test
    void theOperatorCannotChangeOrDeleteSomeoneElsesSecret() {
        cluster.admin.secrets().inNamespace(ns.name).resource(secret("victim-webhook-token", Map.of(), "Opaque")).create();
        cluster.admin.secrets().inNamespace(ns.name).resource(secret("database", Map.of(), "Opaque")).create();
        Secret victim = operator.secrets().inNamespace(ns.name).withName("victim-webhook-token").get();
        refused(() -> operator.secrets().inNamespace(ns.name).resource(new SecretBuilder(victim).editMetadata()
                .addToLabels(eventToken("victim")).endMetadata().addToStringData("token", "known").build()).update(),
                "already are ark's");
        refused(() -> operator.secrets().inNamespace(ns.name).withName("database").delete(), "only ark's Secrets");
        assertThat(cluster.admin.secrets().inNamespace(ns.name).withName("database").get()).isNotNull();
        assertThat(cluster.admin.secrets().inNamespace(ns.name).withName("victim-webhook-token").get().getData())
                .doesNotContainKey("token");
    }

    private static void refused(ThrowingCallable request, String because) {
        assertThatThrownBy(request).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
            assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy 'ark-operator-").contains(because);
        });
    }

    private static Deployment create(Deployment deployment) {
        return operator.apps().deployments().inNamespace(ns.name).resource(deployment).create();
    }

    private static Deployment apply(Deployment deployment) {
        return operator.apps().deployments().inNamespace(ns.name).resource(deployment).fieldManager("ark-operator")
                .forceConflicts().serverSideApply();
    }

    private static Secret create(Secret secret) {
        return operator.secrets().inNamespace(ns.name).resource(secret).create();
    }

    private static <T> T edit(T object, UnaryOperator<T> change) {
        return change.apply(object);
    }

    private static Map<String, String> agentLabels(String agent) {
        return Map.of("app.kubernetes.io/managed-by", "ark", "arkonis.dev/agent", agent);
    }

    private static Map<String, String> eventToken(String event) {
        return Map.of("app.kubernetes.io/managed-by", "ark", "arkonis.dev/event-token", event);
    }

    /** Shaped as ark's agent Deployments are, with no replicas: nothing of it runs. */
    private static Deployment deployment(String name, Map<String, String> labels, String image) {
        Map<String, String> selector = Map.of("test-app", name);
        Map<String, String> podLabels = new java.util.HashMap<>(labels);
        podLabels.putAll(selector);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns.name).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false)
                .addNewContainer().withName("agent").withImage(image).withArgs("agent").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static Secret secret(String name, Map<String, String> labels, String type) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns.name).withLabels(labels).endMetadata()
                .withType(type).addToStringData("value", "x").build();
    }
}
