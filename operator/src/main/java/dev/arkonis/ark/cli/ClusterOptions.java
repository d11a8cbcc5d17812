package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Option;

/** How the cluster commands reach the cluster: the kubeconfig (KUBECONFIG or ~/.kube/config) and a namespace. */
final class ClusterOptions {
    @Option(names = {"-n", "--namespace"}, paramLabel = "<ns>",
            description = "Namespace; defaults to the kubeconfig context's namespace.")
    String namespace;

    KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    }

    String namespace(KubernetesClient client) {
        if (namespace != null) {
            return namespace;
        }
        String fromConfig = client.getNamespace();
        return fromConfig == null ? "default" : fromConfig;
    }
}
