package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node the harness kubelet runs pods on: registered Ready with room for many pods, its Lease in
 * kube-node-lease renewed every 10 s as a kubelet does, so the real node-lifecycle controller keeps it Ready
 * and never evicts its pods.
 */
final class NodeHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("harness-kubelet");
    private static final int LEASE_SECONDS = 40;

    private final KubernetesClient client;
    private final String node;
    private final int kubeletPort;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harness-node-lease");
        t.setDaemon(true);
        return t;
    });

    /** @param kubeletPort where the API server reaches this node's kubelet API (for `kubectl logs`) */
    NodeHeartbeat(KubernetesClient client, String node, int kubeletPort) {
        this.client = client;
        this.node = node;
        this.kubeletPort = kubeletPort;
    }

    void register() {
        String now = now();
        Node desired = new NodeBuilder()
                .withNewMetadata().withName(node).withLabels(Map.of("kubernetes.io/hostname", node,
                        "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64")).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                    .withCapacity(Map.of("cpu", new Quantity("32"), "memory", new Quantity("64Gi"), "pods", new Quantity("250")))
                    .withAllocatable(Map.of("cpu", new Quantity("32"), "memory", new Quantity("64Gi"), "pods", new Quantity("250")))
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("the harness kubelet is posting ready status").withLastHeartbeatTime(now)
                        .withLastTransitionTime(now).endCondition()
                    // no Hostname address: the API server would try it first, and the node's name resolves nowhere
                    .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                    .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                        .endDaemonEndpoints()
                    .withNewNodeInfo().withKubeletVersion("v1.37.2-harness").withOperatingSystem("linux")
                        .withArchitecture("amd64").withContainerRuntimeVersion("harness://1").withOsImage("harness")
                        .withKernelVersion("").withKubeProxyVersion("").withMachineID("").withSystemUUID("")
                        .withBootID("").endNodeInfo()
                .endStatus()
                .build();
        client.nodes().resource(desired).createOr(existing -> existing.patch());
        // the status of a create may be dropped; post it as a kubelet does (a patch: the node controller writes too)
        client.nodes().withName(node).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                Serialization.asJson(Map.of("status", desired.getStatus())));
        renew();
        timer.scheduleAtFixedRate(this::renewQuietly, 10, 10, TimeUnit.SECONDS);
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("node lease renewal failed: {}", e.getMessage());
        }
    }

    private void renew() {
        Lease lease = new LeaseBuilder().withNewMetadata().withName(node).withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(LEASE_SECONDS)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build();
        client.leases().inNamespace("kube-node-lease").resource(lease).createOr(existing -> existing.patch());
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.now(ZoneOffset.UTC).withNano(0));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
