package dev.arkonis.ark.dashboard;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The rights one browser session acts with: a client carrying the user's credentials (the kubeconfig's, or the
 * bearer token the person signed in with), who the API server says that is, and whether the session owns the client
 * (a token's client is closed with its session; the kubeconfig's is shared).
 */
public record Identity(KubernetesClient client, String user, boolean ownsClient) implements AutoCloseable {
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
