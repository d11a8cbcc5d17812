package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.PromptRef;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * What a role's answers depend on beyond its spec: the system prompt its systemPromptRef names, as the ConfigMap or
 * Secret holds it now (read by name, as the agents' pods read it), so a changed prompt is a miss in the step cache.
 * Only a fingerprint of the value is kept, in the key.
 */
final class PromptSalts {
    private static final String MISSING = "<missing>";
    private final KubernetesClient client;

    PromptSalts(KubernetesClient client) {
        this.client = client;
    }

    /** The salt of a role's cache keys: empty for a role whose prompt is in its spec. */
    String of(String namespace, TeamRole role) {
        PromptRef ref = role == null ? null : role.systemPromptRef();
        if (ref == null) {
            return "";
        }
        if (ref.configMapKeyRef() != null) {
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.configMapKeyRef().getName()).get();
            String value = map == null || map.getData() == null ? null : map.getData().get(ref.configMapKeyRef().getKey());
            return "configMap " + fingerprint(value);
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.secretKeyRef().getName()).get();
        Map<String, String> data = secret == null ? null : secret.getData();
        return "secret " + fingerprint(data == null ? null : data.get(ref.secretKeyRef().getKey()));
    }

    private static String fingerprint(String value) {
        return value == null ? MISSING : Hashes.ofText(value);
    }
}
