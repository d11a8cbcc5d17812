package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** {@code helm uninstall}, last of all: the chart's objects and its pods' processes go, the CRDs (Helm's rule) stay. */
@Order(1000)
class UninstallIT {
    private final ArkCluster cluster = ArkCluster.get();

    @Test
    void helmUninstallRemovesWhatTheChartInstalled() {
        ArkRelease release = cluster.ark();
        Command.Result uninstall = cluster.kube.helm("uninstall", ArkRelease.NAME, "-n", ArkRelease.NAMESPACE, "--wait")
                .assertSuccess();
        release.changed();
        assertThat(uninstall.stdout()).contains("release \"ark\" uninstalled");
        eventually().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(cluster.admin.apps().deployments().inNamespace(ArkRelease.NAMESPACE).list().getItems()).isEmpty();
            assertThat(cluster.admin.pods().inNamespace(ArkRelease.NAMESPACE).list().getItems()).isEmpty();
            assertThat(cluster.admin.serviceAccounts().inNamespace(ArkRelease.NAMESPACE).withName("ark-operator").get()).isNull();
            assertThat(cluster.admin.rbac().clusterRoles().withName("ark-operator").get()).isNull();
            assertThat(cluster.admin.rbac().clusterRoleBindings().withName("ark-operator").get()).isNull();
            assertThat(cluster.admin.services().inNamespace(ArkRelease.NAMESPACE).withName("ark-redis").get()).isNull();
        });
        assertThat(cluster.kubelet.pods()).as("no process of the release is left")
                .noneMatch(p -> p.namespace().equals(ArkRelease.NAMESPACE));
        assertThat(cluster.admin.apiextensions().v1().customResourceDefinitions().withName("arkruns.arkonis.dev").get())
                .as("Helm keeps CRDs it installed from crds/").isNotNull();
    }
}
