package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet of one node, since a real kubelet needs a container runtime this machine does not have. It
 * registers the node and keeps its Lease fresh, runs every Pod the real scheduler binds to it as local processes
 * (see {@link ImageCatalog} for which image becomes which process), with the environment, volumes (the
 * ServiceAccount token included), pod IP and readiness a kubelet gives, and stops them when the Pod is deleted.
 */
public final class HarnessKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("harness-kubelet");

    private final KubernetesClient client;
    private final String nodeName;
    private final Path podsDir;
    private final ImageCatalog images;
    private final Map<String, String> serviceLinks;
    private final Loopback loopback = new Loopback();
    private final MountNamespace mountNamespace = MountNamespace.detect();
    private final ContainerEnv env;
    private final PodVolumes volumes;
    private final ServiceHosts hosts;
    private final NodeHeartbeat heartbeat;
    private final KubeletLogServer logServer;
    private final Map<String, PodWorker> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "harness-kubelet");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Pod> informer;

    /**
     * @param apiServerPort where pods reach the API server (KUBERNETES_SERVICE_HOST/PORT, as service links give)
     * @param podsDir       pod directories and pid files; `localkube down` stops what the pid files name
     */
    public HarnessKubelet(KubernetesClient client, String nodeName, int apiServerPort, Path podsDir, ImageCatalog images) {
        this.client = client;
        this.nodeName = nodeName;
        this.podsDir = podsDir;
        this.images = images;
        this.serviceLinks = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(apiServerPort),
                "KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(apiServerPort),
                "KUBERNETES_PORT", "tcp://127.0.0.1:" + apiServerPort);
        this.env = new ContainerEnv(client);
        this.volumes = new PodVolumes(client);
        this.hosts = new ServiceHosts(client, () -> pods.values().stream().map(PodWorker::address).toList());
        this.logServer = new KubeletLogServer(podsDir.resolveSibling("kubelet"), (ns, pod, container, previous) ->
                pods.values().stream().filter(w -> w.is(ns, pod)).findFirst().map(w -> w.log(container, previous)));
        this.heartbeat = new NodeHeartbeat(client, nodeName, logServer.port());
        try {
            Files.createDirectories(podsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HarnessKubelet start() {
        heartbeat.register();
        // pods bound here by an earlier harness lost their processes with it, as a rebooted node loses them:
        // remove them, and their controllers make new ones
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems().forEach(p ->
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                        .withGracePeriod(0).delete());
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                PodWorker worker = pods.get(pod.getMetadata().getUid());
                if (worker != null) {
                    executor.execute(worker::terminate);
                }
            }
        }, 0);
        LOG.info("harness kubelet runs node {}", nodeName);
        return this;
    }

    private void seen(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodWorker worker = pods.get(uid);
        if (worker == null) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                // never started here: nothing to stop, just let it go
                executor.execute(() -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).withGracePeriod(0).delete());
                return;
            }
            try {
                worker = new PodWorker(this, pod);
            } catch (IOException e) {
                LOG.warn("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.toString());
                return;
            }
            pods.put(uid, worker);
            worker.begin();
        } else {
            worker.update(pod);
        }
    }

    public String nodeName() {
        return nodeName;
    }

    /** The pod as the harness runs it (once its containers started), by namespace and name. */
    public Optional<PodView> pod(String namespace, String name) {
        return pods.values().stream().map(PodWorker::view)
                .filter(v -> v.namespace().equals(namespace) && v.name().equals(name)).findFirst();
    }

    public List<PodView> pods() {
        return pods.values().stream().map(PodWorker::view).toList();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        heartbeat.close();
        hosts.close();
        logServer.close();
        pods.values().parallelStream().forEach(w -> w.stopAll(5));
        pods.clear();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // collaborators, for the pod workers
    KubernetesClient client() {
        return client;
    }

    Path podsDir() {
        return podsDir;
    }

    ImageCatalog images() {
        return images;
    }

    Map<String, String> serviceLinks() {
        return serviceLinks;
    }

    Loopback loopback() {
        return loopback;
    }

    MountNamespace mountNamespace() {
        return mountNamespace;
    }

    ContainerEnv env() {
        return env;
    }

    PodVolumes volumes() {
        return volumes;
    }

    ServiceHosts hosts() {
        return hosts;
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    void forget(String uid) {
        pods.remove(uid);
    }
}
