package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A local process that plays a container image, since no image can be pulled here. */
public interface StandIn {
    /**
     * What the harness knows when it starts a container.
     *
     * @param dir              the container's own directory (logs, data, tmp)
     * @param mounts           container mount path → host directory of the volume
     * @param memoryLimitBytes the container's memory limit, as a cgroup would enforce it
     */
    record Context(Pod pod, Container container, Path dir, String podIp, Map<String, Path> mounts,
                   OptionalLong memoryLimitBytes) {
    }

    /**
     * @param command  the process to start
     * @param env      variables added to the container's environment (e.g. a remapped port)
     * @param ports    container port → the port the process really listens on at the pod IP
     */
    record Launch(List<String> command, Map<String, String> env, Map<Integer, Integer> ports) {
    }

    Launch launch(Context context) throws IOException;

    /**
     * Runs a command in the running container (an exec probe), with the container's environment; returns its exit
     * code. An image plays only the commands it knows.
     */
    default int exec(Context context, List<String> command, Map<String, String> env) throws IOException {
        throw new IOException("the harness's " + getClass().getSimpleName() + " cannot run " + command);
    }
}
