package dev.arkonis.ark.cluster;

import dev.arkonis.ark.cluster.kubelet.ArkImage;
import dev.arkonis.ark.cluster.kubelet.HarnessKubelet;
import dev.arkonis.ark.cluster.kubelet.ImageCatalog;
import dev.arkonis.ark.cluster.kubelet.PodView;
import dev.arkonis.ark.cluster.kubelet.RedisImage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;

import static org.awaitility.Awaitility.await;

/**
 * The real control plane of the build with the harness kubelet on it, shared by every integration test of the
 * JVM (one control plane, one namespace per test). Pods of the ark image run the packaged jar, the chart's Redis
 * runs the redis-server Maven brought.
 */
public final class ArkCluster {
    public static final String NODE = "harness-node";
    public static final String ARK_IMAGE = "arkonis/ark";
    private static ArkCluster instance;

    public final LocalKube kube;
    public final KubernetesClient admin;
    public final HarnessKubelet kubelet;
    private final ArkRelease release;

    private ArkCluster() throws IOException {
        kube = LocalKube.fromBuild();
        admin = kube.adminClient();
        ArkImage ark = new ArkImage(jar());
        ImageCatalog images = new ImageCatalog(Map.of(
                ARK_IMAGE, ark,
                // the images HelmValuesIT points the chart to
                ArkRelease.OTHER_OPERATOR_IMAGE, ark,
                ArkRelease.OTHER_AGENT_IMAGE, ark,
                "redis", new RedisImage(kube.dir().resolve("images"))));
        kubelet = new HarnessKubelet(admin, NODE, kube.serverPort(), kube.podsDir(), images).start();
        release = new ArkRelease(this);
    }

    /** The cluster, started on first use; stopped (its pods' processes too) when the test JVM exits. */
    public static synchronized ArkCluster get() {
        if (instance == null) {
            try {
                instance = new ArkCluster();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ArkCluster started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.kubelet.close();
                started.admin.close();
            }, "ark-cluster-stop"));
        }
        return instance;
    }

    /** ark as the suite runs it: CRDs applied, the chart installed and its operator ready (installs if needed). */
    public ArkRelease ark() {
        release.ensureInstalled();
        return release;
    }

    /** The release without installing it (the install tests drive it themselves). */
    public ArkRelease release() {
        return release;
    }

    public static Path jar() {
        return Path.of(System.getProperty("ark.jar", "target/ark.jar")).toAbsolutePath();
    }

    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    /** Runs the ark CLI as a user does, with the admin kubeconfig. */
    public Command.Result ark(Map<String, String> env, String... args) {
        List<String> command = Command.line(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString());
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(kube.shellEnv());
        all.putAll(env);
        Command.Result result = Command.run(command, all, Duration.ofMinutes(2));
        return new Command.Result(Command.line("ark", args), result.exitCode(), result.stdout(), result.stderr());
    }

    public Command.Result ark(String... args) {
        return ark(Map.of(), args);
    }

    /** The pods of a namespace with these labels, as the API server has them. */
    public List<Pod> pods(String namespace, String label, String value) {
        return admin.pods().inNamespace(namespace).withLabel(label, value).list().getItems();
    }

    /** How the harness runs a pod (its command and environment), once it started it. */
    public PodView running(String namespace, String pod) {
        return eventually().until(() -> kubelet.pod(namespace, pod), p -> p.isPresent() && !p.get().containers().isEmpty())
                .orElseThrow();
    }
}
