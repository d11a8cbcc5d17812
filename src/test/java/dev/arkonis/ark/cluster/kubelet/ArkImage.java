package dev.arkonis.ark.cluster.kubelet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ark image, played by the packaged jar: the same JVM flags as the Jib image (pom.xml), the heap sized from
 * the container's memory limit as a cgroup would, and the container's args after the main class. The health port
 * (containerPort 8080) and the ArkEvent webhook port ({@code TRIGGER_WEBHOOK_PORT}) are remapped to free ports
 * through the port settings the process reads, because every pod shares the host's network here; the ServiceAccount token mounted at the standard path is handed to the
 * fabric8 client through its system properties, and env values naming files of a mounted volume are pointed at
 * the harness's copy of it.
 */
public final class ArkImage implements StandIn {
    static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final int HEALTH_PORT = 8080;
    private static final String WEBHOOK_PORT_ENV = "TRIGGER_WEBHOOK_PORT";
    private static final int WEBHOOK_PORT = 8092;

    private final Path jar;

    private static final List<String> IMAGE_FLAGS = ImageJvmFlags.fromPom();

    public ArkImage(Path jar) {
        this.jar = jar.toAbsolutePath();
    }

    @Override
    public Launch launch(Context c) throws IOException {
        if (c.container().getCommand() != null && !c.container().getCommand().isEmpty()) {
            throw new IOException("the ark image's entrypoint is java; the harness cannot run command "
                    + c.container().getCommand());
        }
        Path tmp = c.mounts().getOrDefault("/tmp", c.dir().resolve("tmp"));
        Files.createDirectories(tmp);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(IMAGE_FLAGS);
        c.memoryLimitBytes().ifPresent(limit -> command.add("-XX:MaxRAM=" + limit));
        // start-up speed on a shared 2-core machine; the harness's, not the image's (benchmarks that measure the
        // operator's steady state keep the image's JIT: -Dark.harness.imageJit=true)
        if (!Boolean.getBoolean("ark.harness.imageJit")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        // benchmarks compare JVM options for the operator and agents: -Dark.harness.jvmFlags="-XX:... -XX:..."
        String extra = System.getProperty("ark.harness.jvmFlags", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        // the pods' hosts files play cluster DNS, which answers a record from when it is made (a StatefulSet's pod
        // that starts after this process): Netty's resolver (Lettuce's) reads its hosts file only once unless told
        command.add("-Dio.netty.hostsFileRefreshInterval=" + TimeUnit.SECONDS.toNanos(1));
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Duser.home=" + c.dir());
        Path serviceAccount = c.mounts().get(SERVICE_ACCOUNT_PATH);
        if (serviceAccount != null) {
            command.add("-Dkubernetes.auth.tryKubeConfig=false");
            command.add("-Dkubernetes.auth.serviceAccount.token=" + serviceAccount.resolve("token"));
            command.add("-Dkubernetes.certs.ca.file=" + serviceAccount.resolve("ca.crt"));
            command.add("-Dkubernetes.namespace=" + c.pod().getMetadata().getNamespace());
        }
        command.addAll(List.of("-cp", jar.toString(), "dev.arkonis.ark.cli.Main"));
        command.addAll(c.container().getArgs());
        String health = Integer.toString(port);
        int webhook = freePort();
        Map<String, String> env = new java.util.HashMap<>(mountedPaths(c));
        env.putAll(Map.of("HEALTH_PORT", health, "AGENT_HEALTH_PORT", health, WEBHOOK_PORT_ENV, Integer.toString(webhook)));
        return new Launch(command, env, Map.of(HEALTH_PORT, port, declaredWebhookPort(c), webhook));
    }

    /**
     * Env values that name a file in a mounted volume (the webhook's TLS files), pointed at where the harness put
     * that volume: the process runs on the host's filesystem, not in a container's.
     */
    private static Map<String, String> mountedPaths(Context c) {
        Map<String, String> moved = new java.util.HashMap<>();
        for (var env : c.container().getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : c.container().getEnv()) {
            if (env.getValue() == null) {
                continue;
            }
            c.mounts().forEach((mountPath, dir) -> {
                if (env.getValue().startsWith(mountPath + "/")) {
                    moved.put(env.getName(), dir.resolve(env.getValue().substring(mountPath.length() + 1)).toString());
                }
            });
        }
        return moved;
    }

    /** The webhook port the pod spec asks for (the chart sets it from triggerWebhook.port). */
    private static int declaredWebhookPort(Context c) {
        return c.container().getEnv() == null ? WEBHOOK_PORT : c.container().getEnv().stream()
                .filter(e -> WEBHOOK_PORT_ENV.equals(e.getName()) && e.getValue() != null)
                .map(e -> Integer.parseInt(e.getValue())).findFirst().orElse(WEBHOOK_PORT);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
