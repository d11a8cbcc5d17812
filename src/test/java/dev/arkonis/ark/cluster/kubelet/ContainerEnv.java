package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it: the API server's address first (service links), then
 * {@code envFrom} (Secrets and ConfigMaps, with prefixes), then {@code env} in order, with {@code valueFrom}
 * (secretKeyRef, configMapKeyRef, fieldRef) and {@code $(VAR)} expansion of what came before. A missing
 * non-optional source fails as the kubelet fails it (CreateContainerConfigError with its message).
 */
final class ContainerEnv {
    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
    private static final Pattern FIELD_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

    /** The kubelet could not build the environment; the message is the kubelet's. */
    static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;

    ContainerEnv(KubernetesClient client) {
        this.client = client;
    }

    Map<String, String> resolve(Pod pod, Container container, String podIp, Map<String, String> serviceLinks)
            throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(serviceLinks);
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getSecretRef() != null) {
                Optional<Secret> secret = secret(ns, from.getSecretRef().getName());
                if (secret.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                    throw new ConfigError("secret \"" + from.getSecretRef().getName() + "\" not found");
                }
                secret.ifPresent(s -> data(s).forEach((k, v) -> env.put(prefix + k, v)));
            }
            if (from.getConfigMapRef() != null) {
                Optional<ConfigMap> map = configMap(ns, from.getConfigMapRef().getName());
                if (map.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                    throw new ConfigError("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
                }
                map.ifPresent(m -> data(m).forEach((k, v) -> env.put(prefix + k, v)));
            }
        }
        for (EnvVar var : container.getEnv()) {
            Optional<String> value = var.getValueFrom() == null
                    ? Optional.of(expand(var.getValue() == null ? "" : var.getValue(), env))
                    : valueFrom(pod, var.getValueFrom(), podIp);
            value.ifPresent(v -> env.put(var.getName(), v));
        }
        return env;
    }

    private Optional<String> valueFrom(Pod pod, EnvVarSource from, String podIp) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        if (from.getFieldRef() != null) {
            return Optional.of(field(pod, from.getFieldRef().getFieldPath(), podIp));
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = secret(ns, ref.getName());
            if (secret.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ConfigError("secret \"" + ref.getName() + "\" not found");
            }
            String value = data(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> map = configMap(ns, ref.getName());
            if (map.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
            }
            String value = data(map.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        throw new ConfigError("the harness kubelet does not support this valueFrom: " + from);
    }

    private static String field(Pod pod, String path, String podIp) throws ConfigError {
        Matcher keyed = FIELD_KEY.matcher(path);
        if (keyed.matches()) {
            Map<String, String> map = keyed.group(1).equals("labels") ? pod.getMetadata().getLabels()
                    : pod.getMetadata().getAnnotations();
            return map == null ? "" : map.getOrDefault(keyed.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP" -> podIp;
            case "status.hostIP" -> "127.0.0.1";
            default -> throw new ConfigError("unsupported fieldPath " + path);
        };
    }

    private Optional<Secret> secret(String ns, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(ns).withName(name).get());
    }

    private Optional<ConfigMap> configMap(String ns, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(ns).withName(name).get());
    }

    private static Map<String, String> data(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private static Map<String, String> data(ConfigMap map) {
        return map.getData() == null ? Map.of() : map.getData();
    }

    /** Each of a container's command or args, expanded as the kubelet expands them (with the whole environment). */
    static List<String> expand(List<String> values, Map<String, String> env) {
        return values == null ? null : values.stream().map(value -> expand(value, env)).toList();
    }

    /** Kubernetes' rules: {@code $$} is a literal {@code $}; {@code $(VAR)} of a defined earlier var is its value. */
    static String expand(String value, Map<String, String> earlier) {
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : earlier.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
