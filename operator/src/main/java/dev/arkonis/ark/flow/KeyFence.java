package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ApiKeys;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.McpHeader;
import dev.arkonis.ark.api.McpServerSpec;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks that keep the organisation's API key with the endpoint configured with it, at the exact field: a role
 * that runs with the organisation's key sets no provider or JVM-option variable of its own, and no field reads ark's
 * copy of the organisation's keys. The CRDs hold the same rules ({@code KeyRules}) for the API server.
 */
public final class KeyFence {
    static final String COPY_MESSAGE = "Secret " + Ark.API_KEYS_COPY + " is ark's copy of the organisation's API keys;"
            + " no field of a team or agent may read it (name your own Secret in apiKeys.secretRef)";

    private KeyFence() {
    }

    /**
     * @param ownKeys whether the agent brings its own provider keys (its own apiKeys, or its team's)
     * @param path    the spec's path, such as {@code spec.roles[1]}
     */
    public static List<Problem> problems(AgentSpec spec, boolean ownKeys, String path) {
        List<Problem> problems = new ArrayList<>();
        List<EnvVar> env = spec.env() == null ? List.of() : spec.env();
        for (int i = 0; i < env.size(); i++) {
            EnvVar var = env.get(i);
            String at = path + ".env[" + i + "]";
            if (!ownKeys && AgentEnv.PROVIDER_KEYS.contains(var.getName())) {
                problems.add(new Problem(at + ".name", var.getName() + " is a provider setting: without apiKeys.secretRef"
                        + " this role runs with the organisation's API key, which goes only to the organisation's endpoint;"
                        + " put your own key and endpoint in a Secret of this namespace and name it in apiKeys.secretRef"));
            } else if (!ownKeys && AgentEnv.JVM_OPTIONS.contains(var.getName())) {
                problems.add(new Problem(at + ".name", var.getName() + " sets options of the agent's JVM, which could make"
                        + " it log or send the organisation's API key elsewhere; it is allowed only beside your own keys"
                        + " (apiKeys.secretRef)"));
            }
            if (var.getValueFrom() != null) {
                copy(var.getValueFrom().getSecretKeyRef(), at + ".valueFrom.secretKeyRef.name", problems);
            }
        }
        List<EnvFromSource> envFrom = spec.envFrom() == null ? List.of() : spec.envFrom();
        for (int i = 0; i < envFrom.size(); i++) {
            if (envFrom.get(i).getSecretRef() != null) {
                copy(envFrom.get(i).getSecretRef().getName(), path + ".envFrom[" + i + "].secretRef.name", problems);
            }
        }
        if (spec.systemPromptRef() != null) {
            copy(spec.systemPromptRef().secretKeyRef(), path + ".systemPromptRef.secretKeyRef.name", problems);
        }
        List<McpServerSpec> servers = spec.mcpServers() == null ? List.of() : spec.mcpServers();
        for (int m = 0; m < servers.size(); m++) {
            List<McpHeader> headers = servers.get(m).headers() == null ? List.of() : servers.get(m).headers();
            for (int h = 0; h < headers.size(); h++) {
                copy(headers.get(h).secretKeyRef(), path + ".mcpServers[" + m + "].headers[" + h + "].secretKeyRef.name",
                        problems);
            }
        }
        problems.addAll(apiKeysProblems(spec.apiKeys(), path + ".apiKeys"));
        return problems;
    }

    /** A namespace's own keys: a Secret of its own, named. */
    public static List<Problem> apiKeysProblems(ApiKeys keys, String path) {
        if (keys == null) {
            return List.of();
        }
        if (keys.secretRef() == null || keys.secretRef().name() == null || keys.secretRef().name().isBlank()) {
            return List.of(new Problem(path + ".secretRef.name", "required: the Secret with your own provider keys"));
        }
        List<Problem> problems = new ArrayList<>();
        copy(keys.secretRef().name(), path + ".secretRef.name", problems);
        return problems;
    }

    private static void copy(SecretKeySelector ref, String path, List<Problem> problems) {
        if (ref != null) {
            copy(ref.getName(), path, problems);
        }
    }

    private static void copy(String secretName, String path, List<Problem> problems) {
        if (Ark.API_KEYS_COPY.equals(secretName)) {
            problems.add(new Problem(path, COPY_MESSAGE));
        }
    }
}
