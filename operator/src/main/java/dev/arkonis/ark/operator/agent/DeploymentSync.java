package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes an agent Deployment when what we would build differs from what we last wrote. Comparing a hash of our own
 * desired object (kept in an annotation) is immune to the defaults the API server fills in.
 */
public final class DeploymentSync {
    static final String DESIRED_HASH_ANNOTATION = "arkonis.dev/desired-hash";

    private final KubernetesClient client;

    public DeploymentSync(KubernetesClient client) {
        this.client = client;
    }

    /** The Deployment as it now is on the server (or as the cache last saw it when nothing had to change). */
    Deployment sync(Deployment desired, Optional<Deployment> actual) {
        String hash = Hashes.ofValue(desired);
        desired.getMetadata().setAnnotations(new HashMap<>(Map.of(DESIRED_HASH_ANNOTATION, hash)));
        if (actual.isEmpty()) {
            return client.apps().deployments().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create();
        }
        Deployment current = actual.get();
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        boolean sameHash = annotations != null && hash.equals(annotations.get(DESIRED_HASH_ANNOTATION));
        // replicas are compared too, so a hand-scaled Deployment returns to what the agent wants
        if (sameHash && Objects.equals(current.getSpec().getReplicas(), desired.getSpec().getReplicas())) {
            return current;
        }
        return client.apps().deployments().inNamespace(desired.getMetadata().getNamespace())
                .withName(desired.getMetadata().getName()).edit(d -> {
                    d.getMetadata().setLabels(desired.getMetadata().getLabels());
                    Map<String, String> merged = new HashMap<>(Optional.ofNullable(d.getMetadata().getAnnotations()).orElse(Map.of()));
                    merged.put(DESIRED_HASH_ANNOTATION, hash);
                    d.getMetadata().setAnnotations(merged);
                    d.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
                    d.setSpec(desired.getSpec());
                    return d;
                });
    }
}
