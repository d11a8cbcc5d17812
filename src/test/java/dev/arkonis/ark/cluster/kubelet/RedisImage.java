package dev.arkonis.ark.cluster.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The redis image, played by the redis-server that the embedded-redis test dependency carries (6.2, with ACLs; so
 * nothing beyond Maven is needed on a fresh machine). Like the image's entrypoint, args starting with "-" or a
 * {@code .conf} file go to redis-server; a path in a mounted volume (the config file) is read where the volume is;
 * it binds the pod IP on its own port, with its data in the container's /data volume. A container with a
 * {@code command} (the chart's Sentinel set runs start scripts) runs it as the image would, see {@link #startScript}.
 * Its {@code redis-cli} ({@link RedisCli}) plays what probes and start scripts ask of it.
 */
public final class RedisImage implements StandIn {
    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static final int PORT = 6379;
    /** The image's WORKDIR and PATH. */
    private static final String WORKING_DIR = "/data";
    private static final String IMAGE_PATH = "/usr/local/bin:/usr/bin:/bin";
    private final Path binary;

    public RedisImage(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        binary = cacheDir.resolve("redis-server");
        if (!Files.isExecutable(binary)) {
            try (InputStream in = RedisImage.class.getResourceAsStream("/" + BINARY)) {
                if (in == null) {
                    throw new IOException(BINARY + " not on the test classpath (embedded-redis)");
                }
                Path tmp = Files.createTempFile(cacheDir, "redis", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    @Override
    public Launch launch(Context c) throws IOException {
        if (c.container().getCommand() != null && !c.container().getCommand().isEmpty()) {
            return startScript(c);
        }
        List<String> args = new ArrayList<>(c.container().getArgs());
        if (!args.isEmpty() && args.get(0).equals("redis-server")) {
            args.remove(0);
        }
        if (!args.isEmpty() && !args.get(0).startsWith("-") && !args.get(0).endsWith(".conf")) {
            throw new IOException("the redis image's entrypoint runs redis-server only; the harness cannot run " + args);
        }
        Path data = c.mounts().getOrDefault("/data", c.dir().resolve("data"));
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        args.forEach(arg -> command.add(inVolume(c, arg)));
        command.addAll(List.of("--bind", c.podIp(), "--port", Integer.toString(PORT), "--dir", data.toString(),
                "--daemonize", "no"));
        return new Launch(command, Map.of(), Map.of(PORT, PORT));
    }

    /**
     * A start script (the container's {@code command}) as the image runs it: in the container's own root
     * ({@link ContainerRoot}), in the image's working directory, with the image's {@code redis-server},
     * {@code redis-sentinel} and {@code redis-cli} on the PATH, and {@code hostname} answering the pod's. The
     * redis-server binds the pod's address, as it would in a pod's own network namespace (pods share one here).
     */
    private Launch startScript(Context c) throws IOException {
        String name = c.container().getName();
        Path bin = Files.createDirectories(c.dir().resolve(name + ".bin"));
        Path server = bin.resolve("redis-server");
        Path java = Path.of(System.getProperty("java.home"));
        shim(server, "exec " + quoted(binary.toString()) + " \"$@\" --bind " + c.podIp());
        shim(bin.resolve("redis-sentinel"), "exec " + quoted(server.toString()) + " \"$@\" --sentinel");
        shim(bin.resolve("redis-cli"), "exec " + quoted(java.resolve("bin").resolve("java").toString())
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xmx32m -D" + RedisCli.DEFAULT_HOST + "="
                + c.podIp() + " -cp " + quoted(classes().toString()) + " " + RedisCli.class.getName() + " \"$@\"");
        String hostname = c.pod().getSpec().getHostname() == null ? c.pod().getMetadata().getName()
                : c.pod().getSpec().getHostname();
        shim(bin.resolve("hostname"), "echo " + quoted(hostname));
        Map<String, Path> mounts = new HashMap<>(c.mounts());
        // what the shims run, where they name it, in case it lives on a mount the root's overlay does not show
        for (Path shown : List.of(bin, binary.getParent(), java, classes())) {
            mounts.putIfAbsent(shown.toString(), shown);
        }
        if (!mounts.containsKey(WORKING_DIR)) {
            mounts.put(WORKING_DIR, Files.createDirectories(c.dir().resolve(name + ".data")));
        }
        String workingDir = c.container().getWorkingDir() == null || c.container().getWorkingDir().isEmpty()
                ? WORKING_DIR : c.container().getWorkingDir();
        List<String> process = new ArrayList<>(c.container().getCommand());
        process.addAll(c.container().getArgs());
        Path root = Files.createDirectories(c.dir().resolve(name + ".root"));
        Map<Integer, Integer> ports = new HashMap<>();
        c.container().getPorts().forEach(p -> ports.put(p.getContainerPort(), p.getContainerPort()));
        return new Launch(ContainerRoot.command(root, workingDir, mounts, process), Map.of("PATH", bin + ":" + IMAGE_PATH),
                ports);
    }

    private static void shim(Path file, String line) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + line + "\n");
        file.toFile().setExecutable(true);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Where RedisCli's class is, for the container's redis-cli (it needs nothing but the JDK). */
    private static Path classes() throws IOException {
        try {
            return Path.of(RedisCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** A container path in a mounted volume, as the process sees it here; anything else as it is. */
    private static String inVolume(Context c, String arg) {
        for (Map.Entry<String, Path> mount : c.mounts().entrySet()) {
            if (arg.startsWith(mount.getKey() + "/")) {
                return mount.getValue().resolve(arg.substring(mount.getKey().length() + 1)).toString();
            }
        }
        return arg;
    }

    @Override
    public int exec(Context c, List<String> command, Map<String, String> env) throws IOException {
        if (command.isEmpty() || !command.get(0).equals("redis-cli")) {
            return StandIn.super.exec(c, command, env);
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return RedisCli.run(command.subList(1, command.size()), env, c.podIp(), discard, discard);
    }
}
