package dev.arkonis.ark.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real control plane that {@code src/test/cluster/localkube up} started (the build runs it before the
 * integration tests): where its admin kubeconfig, binaries (kubectl, helm) and audit log are.
 */
public final class LocalKube {
    public static final String DIR_PROPERTY = "localkube.dir";
    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)=\"([^\"]*)\"");

    private final Path dir;
    private final Path bin;
    private final Path kubeconfig;
    private final String server;

    private LocalKube(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.bin = Path.of(env.get("LOCALKUBE_BIN"));
        this.kubeconfig = Path.of(env.get("KUBECONFIG"));
        this.server = env.get("LOCALKUBE_SERVER");
    }

    /** The control plane named by the {@value #DIR_PROPERTY} system property (default target/localkube). */
    public static LocalKube fromBuild() {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "target/localkube")).toAbsolutePath();
        Path envFile = dir.resolve("env");
        if (!Files.exists(envFile) || !Files.exists(dir.resolve("pids"))) {
            throw new IllegalStateException("no control plane in " + dir + ": `mvn verify` starts one before the"
                    + " integration tests; by hand: src/test/cluster/localkube up --dir " + dir);
        }
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(envFile)) {
                Matcher m = EXPORT.matcher(line);
                if (m.find()) {
                    env.put(m.group(1), m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalKube(dir, env);
    }

    public Path dir() {
        return dir;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server's URL, {@code https://127.0.0.1:<port>}. */
    public String server() {
        return server;
    }

    public int serverPort() {
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    public Path caCertificate() {
        return dir.resolve("pki/ca.crt");
    }

    /** The API server's audit log: every request of service accounts outside kube-system. */
    public Path auditLog() {
        return dir.resolve("logs/audit.log");
    }

    /** Where the harness kubelet keeps its pods (their directories and pid files, which `localkube down` reads). */
    public Path podsDir() {
        return dir.resolve("pods");
    }

    public KubernetesClient adminClient() {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client that authenticates with this bearer token (a ServiceAccount's), and names itself by userAgent. */
    public KubernetesClient clientWithToken(String token, String userAgent) {
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty()).withMasterUrl(server)
                .withCaCertFile(caCertificate().toString()).withOauthToken(token).withUserAgent(userAgent).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The environment of a shell after {@code eval "$(localkube env)"}. */
    public Map<String, String> shellEnv() {
        return Map.of("KUBECONFIG", kubeconfig.toString(),
                "PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    public Command.Result kubectl(String... args) {
        return tool("kubectl", args);
    }

    public Command.Result helm(String... args) {
        return tool("helm", args);
    }

    private Command.Result tool(String name, String... args) {
        List<String> command = Command.line(bin.resolve(name).toString(), args);
        Command.Result result = Command.run(command, shellEnv(), Duration.ofMinutes(3));
        // transcripts show the command as typed, without the cache path
        List<String> shown = Command.line(name, args);
        return new Command.Result(shown, result.exitCode(), result.stdout(), result.stderr());
    }
}
