package dev.arkonis.ark.cluster.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private mount namespace per pod process with the pod's own /etc/hosts bind-mounted, as a container runtime
 * gives every container a kubelet-managed hosts file. That is how a pod resolves Service names here: both the
 * JDK's resolver and Netty's (Lettuce) read /etc/hosts, and nothing outside the pod sees the mount.
 */
final class MountNamespace {
    private static final String BIND_HOSTS_AND_EXEC = "mount --bind \"$0\" /etc/hosts && exec \"$@\"";
    private final List<String> unshare;

    private MountNamespace(List<String> unshare) {
        this.unshare = unshare;
    }

    /** Finds how this machine lets us unshare mounts: as root, or as a user through a user namespace. */
    static MountNamespace detect() {
        for (List<String> candidate : List.of(List.of("unshare", "--mount"), List.of("unshare", "--user", "--map-root-user", "--mount"))) {
            List<String> probe = new ArrayList<>(candidate);
            probe.addAll(List.of("--", "/bin/sh", "-c", "mount --bind /etc/hosts /etc/hosts"));
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return new MountNamespace(candidate);
                }
                p.destroyForcibly();
            } catch (Exception e) {
                // try the next way
            }
        }
        throw new IllegalStateException("the harness kubelet needs `unshare` (util-linux) with mount namespaces, as root"
                + " or through user namespaces, to give pods their own /etc/hosts; neither worked on this machine");
    }

    /** The command, run with {@code hosts} as its /etc/hosts; the pid stays the command's (exec, no fork). */
    List<String> wrap(Path hosts, List<String> command) {
        List<String> wrapped = new ArrayList<>(unshare);
        wrapped.addAll(List.of("--", "/bin/sh", "-c", BIND_HOSTS_AND_EXEC, hosts.toString()));
        wrapped.addAll(command);
        return wrapped;
    }
}
