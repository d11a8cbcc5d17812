package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes as files in its directory: emptyDir, Secret and ConfigMap volumes, and projected volumes,
 * which is how the ServiceAccount admission plugin mounts the API token ({@code kube-api-access-*}: a token from
 * the TokenRequest API bound to this pod, the cluster's CA from {@code kube-root-ca.crt}, the namespace).
 */
final class PodVolumes {
    private final KubernetesClient client;

    PodVolumes(KubernetesClient client) {
        this.client = client;
    }

    /** Writes every volume under {@code dir/volumes/<name>}; returns volume name → directory. */
    Map<String, Path> materialize(Pod pod, Path dir) throws ContainerEnv.ConfigError, IOException {
        Map<String, Path> volumes = new HashMap<>();
        for (Volume volume : pod.getSpec().getVolumes()) {
            Path target = dir.resolve("volumes").resolve(volume.getName());
            Files.createDirectories(target);
            if (volume.getProjected() != null) {
                for (VolumeProjection source : volume.getProjected().getSources()) {
                    project(pod, source, target);
                }
            } else if (volume.getSecret() != null) {
                writeItems(target, secretData(pod, volume.getSecret().getSecretName(),
                        Boolean.TRUE.equals(volume.getSecret().getOptional())), volume.getSecret().getItems());
            } else if (volume.getConfigMap() != null) {
                writeItems(target, configMapData(pod, volume.getConfigMap().getName(),
                        Boolean.TRUE.equals(volume.getConfigMap().getOptional())), volume.getConfigMap().getItems());
            }
            // emptyDir and anything else: an empty directory
            volumes.put(volume.getName(), target);
        }
        return volumes;
    }

    private void project(Pod pod, VolumeProjection source, Path target) throws ContainerEnv.ConfigError, IOException {
        if (source.getServiceAccountToken() != null) {
            ServiceAccountTokenProjection projection = source.getServiceAccountToken();
            Files.writeString(target.resolve(projection.getPath()), token(pod, projection));
        }
        if (source.getConfigMap() != null) {
            writeItems(target, configMapData(pod, source.getConfigMap().getName(),
                    Boolean.TRUE.equals(source.getConfigMap().getOptional())), source.getConfigMap().getItems());
        }
        if (source.getSecret() != null) {
            writeItems(target, secretData(pod, source.getSecret().getName(),
                    Boolean.TRUE.equals(source.getSecret().getOptional())), source.getSecret().getItems());
        }
        if (source.getDownwardAPI() != null) {
            for (var item : source.getDownwardAPI().getItems()) {
                if (item.getFieldRef() != null && "metadata.namespace".equals(item.getFieldRef().getFieldPath())) {
                    Files.writeString(target.resolve(item.getPath()), pod.getMetadata().getNamespace());
                } else if (item.getFieldRef() != null && "metadata.name".equals(item.getFieldRef().getFieldPath())) {
                    Files.writeString(target.resolve(item.getPath()), pod.getMetadata().getName());
                }
            }
        }
    }

    /** A token for the pod's ServiceAccount, bound to the pod, as the kubelet requests it. */
    private String token(Pod pod, ServiceAccountTokenProjection projection) {
        String sa = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
        TokenRequestBuilder request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(projection.getExpirationSeconds() == null ? 3607L : projection.getExpirationSeconds())
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec();
        if (projection.getAudience() != null && !projection.getAudience().isEmpty()) {
            request.editSpec().withAudiences(projection.getAudience()).endSpec();
        }
        TokenRequest answer = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(sa)
                .tokenRequest(request.build());
        return answer.getStatus().getToken();
    }

    private Map<String, String> configMapData(Pod pod, String name, boolean optional) throws ContainerEnv.ConfigError {
        ConfigMap map = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (map == null) {
            if (optional) {
                return Map.of();
            }
            throw new ContainerEnv.ConfigError("configmap \"" + name + "\" not found");
        }
        return map.getData() == null ? Map.of() : map.getData();
    }

    private Map<String, String> secretData(Pod pod, String name, boolean optional) throws ContainerEnv.ConfigError {
        Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (secret == null) {
            if (optional) {
                return Map.of();
            }
            throw new ContainerEnv.ConfigError("secret \"" + name + "\" not found");
        }
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return data;
    }

    private static void writeItems(Path target, Map<String, String> data, List<KeyToPath> items) throws IOException {
        if (items == null || items.isEmpty()) {
            for (var e : data.entrySet()) {
                Files.writeString(target.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        for (KeyToPath item : items) {
            String value = data.get(item.getKey());
            if (value != null) {
                Files.writeString(target.resolve(item.getPath()), value);
            }
        }
    }
}
