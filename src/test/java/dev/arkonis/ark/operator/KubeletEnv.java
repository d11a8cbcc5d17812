package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kubelet makes of a container's env: envFrom, valueFrom (ConfigMap/Secret keys, optional ones that are not
 * there setting nothing; POD_NAME) and {@code $(VAR)} expansion of earlier variables. Lets tests start an agent from the Deployment the operator wrote.
 */
public final class KubeletEnv {
    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private KubeletEnv() {
    }

    public static Map<String, String> resolve(KubernetesClient client, String namespace, Container container,
            String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getSecretRef() != null) {
                Secret s = client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
                if (s != null && s.getData() != null) {
                    s.getData().forEach((k, v) -> env.put(k, decode(v)));
                }
            }
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = client.configMaps().inNamespace(namespace).withName(from.getConfigMapRef().getName()).get();
                if (cm != null && cm.getData() != null) {
                    env.putAll(cm.getData());
                }
            }
        }
        for (EnvVar var : container.getEnv()) {
            String value = valueOf(client, namespace, var, podName, env);
            if (value != null) {
                env.put(var.getName(), value);
            }
        }
        return env;
    }

    private static String valueOf(KubernetesClient client, String namespace, EnvVar var, String podName,
            Map<String, String> earlier) {
        if (var.getValueFrom() == null) {
            return expand(var.getValue() == null ? "" : var.getValue(), earlier);
        }
        var from = var.getValueFrom();
        if (from.getFieldRef() != null) {
            return "metadata.name".equals(from.getFieldRef().getFieldPath()) ? podName : "";
        }
        if (from.getSecretKeyRef() != null) {
            Secret s = client.secrets().inNamespace(namespace).withName(from.getSecretKeyRef().getName()).get();
            String value = s == null || s.getData() == null ? null : s.getData().get(from.getSecretKeyRef().getKey());
            if (value == null && Boolean.TRUE.equals(from.getSecretKeyRef().getOptional())) {
                return null; // an optional key that is not there sets no variable
            }
            return decode(value);
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(from.getConfigMapKeyRef().getName()).get();
            return cm.getData().get(from.getConfigMapKeyRef().getKey());
        }
        return "";
    }

    /** Kubernetes' rules: {@code $$} is a literal {@code $}; {@code $(VAR)} of a defined earlier var is its value. */
    static String expand(String value, Map<String, String> earlier) {
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                replacement = earlier.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
