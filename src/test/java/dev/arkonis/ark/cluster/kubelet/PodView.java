package dev.arkonis.ark.cluster.kubelet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the harness kubelet did for a pod, for tests to check what reached the process: the command and the
 * environment it was started with, where its output goes.
 */
public record PodView(String namespace, String name, String uid, String ip, List<ContainerView> containers) {
    public record ContainerView(String name, String image, List<String> command, Map<String, String> env,
                                Map<Integer, Integer> ports, Path log, long pid, int restarts, boolean ready) {
    }

    public ContainerView container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("pod " + namespace + "/" + this.name + " has no started container " + name));
    }

    public ContainerView only() {
        if (containers.size() != 1) {
            throw new AssertionError("pod " + namespace + "/" + name + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }
}
