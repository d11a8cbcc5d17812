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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Cluster DNS and kube-proxy, played by hosts files: a Service resolves, as {@code <svc>.<ns>.svc.cluster.local},
 * {@code <svc>.<ns>.svc}, {@code <svc>.<ns>} and (inside its namespace) {@code <svc>}, to the IP of a pod of this
 * node its selector matches (a ready one first), each pod of a headless Service that names it as subdomain (a
 * StatefulSet's) as {@code <hostname>.<svc>.<ns>...} to its own IP, and {@code kubernetes.default} to the API
 * server. The real EndpointSlice controller cannot do this here: the API server refuses loopback endpoint addresses.
 * Every pod's file is rewritten in place when Services or pods change, so the pod's bind mount of /etc/hosts sees it.
 */
final class ServiceHosts implements AutoCloseable {
    /** A pod of this node as Services select it; hostname and subdomain as its spec asks (a StatefulSet's pods). */
    record PodAddress(String namespace, Map<String, String> labels, String ip, boolean ready, String hostname,
                      String subdomain) {
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

    /**
     * "<svc>.<ns>" → IP, and for a headless Service "<hostname>.<svc>.<ns>" → IP of each pod it selects whose
     * subdomain names it (ready ones, or all with publishNotReadyAddresses), as cluster DNS names a StatefulSet's pods.
     */
    private Map<String, String> services() {
        Map<String, String> byName = new TreeMap<>();
        byName.put("kubernetes.default", "127.0.0.1");
        List<PodAddress> addresses = pods.get();
        for (Service service : informer.getStore().list()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            String name = service.getMetadata().getName();
            String ns = service.getMetadata().getNamespace();
            List<PodAddress> selected = addresses.stream()
                    .filter(p -> p.ip() != null && p.namespace().equals(ns) && p.labels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            selected.stream().max(Comparator.comparing(PodAddress::ready))
                    .ifPresent(p -> byName.put(name + "." + ns, p.ip()));
            if ("None".equals(service.getSpec().getClusterIP())) {
                boolean notReadyToo = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
                selected.stream()
                        .filter(p -> p.hostname() != null && name.equals(p.subdomain()) && (p.ready() || notReadyToo))
                        .forEach(p -> byName.put(p.hostname() + "." + name + "." + ns, p.ip()));
            }
        }
        return byName;
    }

    private static void write(Path file, PodHosts pod, Map<String, String> services) {
        StringBuilder text = new StringBuilder("# written by the harness kubelet, as cluster DNS would answer\n")
                .append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append(pod.ip()).append('\t').append(pod.name()).append('\n');
        services.forEach((key, ip) -> {
            // a namespace has no dot: what comes before its name is the Service's (or a pod's and its Service's)
            String inNamespace = key.substring(0, key.lastIndexOf('.'));
            String ns = key.substring(key.lastIndexOf('.') + 1);
            text.append(ip).append('\t').append(key).append(".svc.cluster.local ").append(key).append(".svc ").append(key);
            if (ns.equals(pod.namespace())) {
                text.append(' ').append(inNamespace);
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
