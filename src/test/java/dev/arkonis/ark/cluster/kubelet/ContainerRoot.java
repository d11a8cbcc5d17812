package dev.arkonis.ark.cluster.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's own root filesystem, for a process that uses the container's paths (a start script that sources
 * {@code /opt/ark/...} and writes {@code /data/...}): the host's root seen through an overlay whose writes go to a
 * tmpfs, the host's /dev, /proc and /sys, the pod's /etc/hosts, and the container's volumes mounted at their paths;
 * the process starts in its working directory. It is built inside the pod's mount namespace ({@link MountNamespace}),
 * so nothing of it shows outside and it goes with the process; an overlay over the host's root needs the harness to
 * run as root (a user namespace may not mount one).
 */
final class ContainerRoot {
    /** $0: the directory to build the root in; $1: the working directory; then host/container path pairs, "--", the command. */
    private static final String BUILD_AND_EXEC = String.join("\n",
            "set -e",
            "top=$0; wd=$1; shift",
            "mount -t tmpfs container-root \"$top\"",
            "mkdir \"$top/upper\" \"$top/work\" \"$top/root\"",
            "root=$top/root",
            "mount -t overlay overlay -o \"lowerdir=/,upperdir=$top/upper,workdir=$top/work\" \"$root\" || {",
            "  echo 'the harness kubelet gives a container its own root as root only (an overlay of the host root)' >&2",
            "  exit 1",
            "}",
            "for fs in dev proc sys; do mount --rbind \"/$fs\" \"$root/$fs\"; done",
            "mount --bind /etc/hosts \"$root/etc/hosts\"",
            "while [ \"$1\" != -- ]; do",
            "  if [ -d \"$1\" ]; then mkdir -p \"$root$2\"; else mkdir -p \"$(dirname \"$root$2\")\"; : >> \"$root$2\"; fi",
            "  mount --bind \"$1\" \"$root$2\"",
            "  shift 2",
            "done",
            "shift",
            // chroot lives in sbin, which a container's PATH need not have
            "exec \"$(PATH=$PATH:/usr/sbin:/sbin command -v chroot)\" \"$root\" /bin/sh -c 'cd \"$0\" && exec \"$@\"' \"$wd\" \"$@\"");

    private ContainerRoot() {
    }

    /**
     * The command that runs {@code command} in the container's root, built in {@code dir} (an empty directory of the
     * pod's), with {@code mounts} (container path → host directory or file) at their container paths.
     */
    static List<String> command(Path dir, String workingDir, Map<String, Path> mounts, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", BUILD_AND_EXEC, dir.toString(), workingDir));
        // a parent's mount before its children's
        new TreeMap<>(mounts).forEach((containerPath, hostPath) -> {
            wrapped.add(hostPath.toString());
            wrapped.add(containerPath);
        });
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }
}
