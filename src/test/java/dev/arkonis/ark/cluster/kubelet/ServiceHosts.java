package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Cluster DNS and kube-proxy, played by hosts files: a Service resolves, as {@code <svc>.<ns>.svc.cluster.local},
 * {@code <svc>.<ns>.svc}, {@code <svc>.<ns>} and (inside its namespace) {@code <svc>}, to the IP of a pod of this
 * node its selector matches (a ready one first), and {@code kubernetes.default} to the API server. The real
 * EndpointSlice controller cannot do this here: the API server refuses loopback endpoint addresses. Every
 * pod's file is rewritten in place when Services or pods change, so the pod's bind mount of /etc/hosts sees it.
 */
final class ServiceHosts implements AutoCloseable {
    /** A pod of this node as Services select it. */
    record PodAddress(String namespace, Map<String, String> labels, String ip, boolean ready) {
    }

    private record PodHosts(String namespace, String name, String ip) {
    }

    private final Map<Path, PodHosts> files = new ConcurrentHashMap<>();
    private final Supplier<List<PodAddress>> pods;
    private final SharedIndexInformer<Service> informer;

    ServiceHosts(KubernetesClient client, Supplier<List<PodAddress>> pods) {
        this.pods = pods;
        informer = client.services().inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service service) {
                refresh();
            }

            @Override
            public void onUpdate(Service old, Service service) {
                refresh();
            }

            @Override
            public void onDelete(Service service, boolean unknown) {
                refresh();
            }
        });
        informer.run();
    }

    /** Writes the hosts file of a pod and keeps it current until {@link #forget}. */
    void register(Path file, String namespace, String podName, String podIp) {
        PodHosts pod = new PodHosts(namespace, podName, podIp);
        files.put(file, pod);
        write(file, pod, services());
    }

    void forget(Path file) {
        files.remove(file);
    }

    /** Pods or Services changed: rewrite every file. */
    synchronized void refresh() {
        Map<String, String> services = services();
        files.forEach((file, pod) -> write(file, pod, services));
    }

    /** "<svc>.<ns>" → IP. */
    private Map<String, String> services() {
        Map<String, String> byName = new TreeMap<>();
        byName.put("kubernetes.default", "127.0.0.1");
        List<PodAddress> addresses = pods.get();
        for (Service service : informer.getStore().list()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            String ns = service.getMetadata().getNamespace();
            Optional<PodAddress> backing = addresses.stream()
                    .filter(p -> p.ip() != null && p.namespace().equals(ns) && p.labels().entrySet().containsAll(selector.entrySet()))
                    .max(Comparator.comparing(PodAddress::ready));
            backing.ifPresent(p -> byName.put(service.getMetadata().getName() + "." + ns, p.ip()));
        }
        return byName;
    }

    private static void write(Path file, PodHosts pod, Map<String, String> services) {
        StringBuilder text = new StringBuilder("# written by the harness kubelet, as cluster DNS would answer\n")
                .append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append(pod.ip()).append('\t').append(pod.name()).append('\n');
        services.forEach((key, ip) -> {
            String svc = key.substring(0, key.indexOf('.'));
            String ns = key.substring(key.indexOf('.') + 1);
            text.append(ip).append('\t').append(key).append(".svc.cluster.local ").append(key).append(".svc ").append(key);
            if (ns.equals(pod.namespace())) {
                text.append(' ').append(svc);
            }
            text.append('\n');
        });
        try {
            // in place (same inode): the pod's bind mount keeps pointing at this file
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
