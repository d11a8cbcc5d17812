package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a copy of the operator's API-key Secret (data only) in an agent namespace. Its name has a dot, which
 * Helm-style and kubectl-created Secret names rarely use, and the managed-by label says whose it is.
 */
public final class ApiKeyMirror {
    public static final String NAME = "ark-operator.api-keys";

    private final KubernetesClient client;

    public ApiKeyMirror(KubernetesClient client) {
        this.client = client;
    }

    static Secret desired(String namespace, Secret source) {
        return new SecretBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace)
                    .withLabels(Map.of(Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY)).endMetadata()
                .withType("Opaque")
                .withData(source.getData() == null ? Map.of() : source.getData())
                .build();
    }

    /** Creates or updates the copy when its data differs from the source's. */
    void sync(String namespace, Secret source, Optional<Secret> current) {
        Secret desired = desired(namespace, source);
        if (current.isEmpty()) {
            client.secrets().inNamespace(namespace).resource(desired).create();
        } else if (!Objects.equals(nullToEmpty(current.get().getData()), desired.getData())) {
            client.secrets().inNamespace(namespace).withName(NAME).edit(s -> {
                s.setData(desired.getData());
                return s;
            });
        }
    }

    private static Map<String, String> nullToEmpty(Map<String, String> data) {
        return data == null ? Map.of() : data;
    }
}
