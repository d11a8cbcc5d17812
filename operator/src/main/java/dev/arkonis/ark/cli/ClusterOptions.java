package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * How the cluster commands reach the cluster, as kubectl does: {@code --kubeconfig} (else KUBECONFIG, else
 * ~/.kube/config, else the pod's service account), {@code --context}, {@code -n}. Calls fail within seconds when no
 * cluster answers: a short connect timeout and no silent retries.
 */
final class ClusterOptions {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = {"-n", "--namespace"}, paramLabel = "<ns>",
            description = "Namespace; defaults to the kubeconfig context's namespace.")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "<file>", description = "Kubeconfig file (default: KUBECONFIG, ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "<name>", description = "Kubeconfig context to use (default: its current one).")
    String context;

    @Option(names = "--request-timeout", converter = DurationConverter.Timeout.class, paramLabel = "<duration>",
            description = "How long one API call may take (default 10s).")
    Duration requestTimeout = Duration.ofSeconds(10);

    /** A cluster cannot even be tried: no kubeconfig, a missing context. */
    static final class NoClusterException extends Exception {
        NoClusterException(String message) {
            super(message);
        }
    }

    /** One piece of work against the cluster; its result is the command's exit code. */
    @FunctionalInterface
    interface ClusterWork {
        int apply(KubernetesClient client) throws Exception;
    }

    /**
     * Opens the client ({@code given}'s, in tests), runs the work and closes it; a cluster that cannot be tried or a
     * failed call becomes one line on {@code err} naming the server and the cause, and its exit code.
     */
    int call(Supplier<KubernetesClient> given, Map<String, String> env, PrintWriter err, String what, ClusterWork work)
            throws Exception {
        KubernetesClient client;
        try {
            client = given == null ? client(env) : given.get();
        } catch (NoClusterException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        String server = String.valueOf(client.getMasterUrl());
        try (client) {
            return work.apply(client);
        } catch (KubernetesClientException e) {
            ClusterErrors.Described why = ClusterErrors.describe(e, server, what);
            err.println("error: " + why.message());
            return why.exitCode();
        }
    }

    KubernetesClient client(Map<String, String> env) throws NoClusterException {
        return new KubernetesClientBuilder().withConfig(config(env)).build();
    }

    Config config(Map<String, String> env) throws NoClusterException {
        Config config;
        try {
            if (kubeconfig != null) {
                if (!Files.isRegularFile(kubeconfig)) {
                    throw new NoClusterException("--kubeconfig " + kubeconfig + ": no such file");
                }
                config = Config.fromKubeconfig(context, kubeconfig.toFile());
            } else {
                if (!hasKubeconfig(env)) {
                    String named = env.get("KUBECONFIG");
                    throw new NoClusterException(named != null && !named.isBlank()
                            ? "no kubeconfig: KUBECONFIG=" + named + " names no file that exists"
                            : "no kubeconfig: set KUBECONFIG, pass --kubeconfig <file>, or create "
                                    + "~/.kube/config (kubectl config view shows what kubectl uses)");
                }
                config = Config.autoConfigure(context);
            }
        } catch (KubernetesClientException e) {
            throw new NoClusterException("cannot read the kubeconfig: " + ClusterErrors.firstMessage(e));
        }
        if (context != null && config.getContexts() != null
                && config.getContexts().stream().noneMatch(c -> context.equals(c.getName()))) {
            throw new NoClusterException("--context " + context + ": no such context in the kubeconfig (contexts: "
                    + String.join(", ", config.getContexts().stream().map(c -> c.getName()).toList()) + ")");
        }
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestTimeout((int) requestTimeout.toMillis());
        // fabric8 retries failed calls with backoff (about 20 s in all): a person waiting wants the answer now
        config.setRequestRetryBackoffLimit(0);
        return config;
    }

    private static boolean hasKubeconfig(Map<String, String> env) {
        String paths = env.get("KUBECONFIG");
        if (paths != null && !paths.isBlank()) {
            for (String p : paths.split(java.io.File.pathSeparator)) {
                if (!p.isBlank() && Files.isRegularFile(Path.of(p))) {
                    return true;
                }
            }
            return false;
        }
        String home = System.getProperty("user.home");
        return (home != null && Files.isRegularFile(Path.of(home, ".kube", "config")))
                || env.containsKey("KUBERNETES_SERVICE_HOST");
    }

    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String fromConfig = client.getNamespace();
        return fromConfig == null ? "default" : fromConfig;
    }
}
