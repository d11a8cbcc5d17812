package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.ApiKeys;
import dev.arkonis.ark.llm.chat.AnthropicApi;
import dev.arkonis.ark.llm.chat.OpenAiApi;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The provider keys of an agent pod, as explicit env entries read by the kubelet (never a literal key): either the
 * namespace's own, or the organisation's together with the endpoint configured with them, placed last so that no
 * env or envFrom of the role can change where the organisation's key is sent.
 */
final class ProviderKeyEnv {
    /** Each provider's key, its endpoint, and the endpoint used when the organisation names none. */
    private record Provider(String key, String baseUrl, String defaultUrl) {
    }

    private static final List<Provider> PROVIDERS = List.of(
            new Provider(AgentEnv.OPENAI_API_KEY, AgentEnv.OPENAI_BASE_URL, OpenAiApi.DEFAULT_BASE_URL),
            new Provider(AgentEnv.ANTHROPIC_API_KEY, AgentEnv.ANTHROPIC_BASE_URL, AnthropicApi.DEFAULT_BASE_URL));

    /**
     * The organisation's keys as the agent's namespace has them.
     *
     * @param copy the Secret of the namespace holding them (ark's copy)
     * @param keys which provider variables the organisation's Secret sets
     */
    record Organisation(String copy, Set<String> keys) {
        Organisation {
            keys = Set.copyOf(keys);
        }
    }

    private ProviderKeyEnv() {
    }

    /** The namespace's own keys, those its Secret has; first, so that the role's own env may still set them. */
    static List<EnvVar> own(ApiKeys keys) {
        return AgentEnv.PROVIDER_KEYS.stream().map(name -> fromSecret(name, keys.secretRef().name(), true)).toList();
    }

    /**
     * For each provider whose key or endpoint the organisation sets: both, the endpoint the organisation's or the
     * provider's own; and the JVM's option variables emptied, so nothing can make the JVM log or reroute the key.
     */
    static List<EnvVar> organisation(Organisation org) {
        List<EnvVar> env = new ArrayList<>();
        for (Provider p : PROVIDERS) {
            if (org.keys().contains(p.key()) || org.keys().contains(p.baseUrl())) {
                env.add(org.keys().contains(p.key()) ? fromSecret(p.key(), org.copy(), false) : new EnvVar(p.key(), "", null));
                env.add(org.keys().contains(p.baseUrl()) ? fromSecret(p.baseUrl(), org.copy(), false)
                        : new EnvVar(p.baseUrl(), p.defaultUrl(), null));
            }
        }
        if (!env.isEmpty()) {
            AgentEnv.JVM_OPTIONS.forEach(name -> env.add(new EnvVar(name, "", null)));
        }
        return env;
    }

    /** The names {@link #organisation} sets: a role's own entries of these names are left out of the pod. */
    static Set<String> pinned(Organisation org) {
        Set<String> names = new LinkedHashSet<>();
        organisation(org).forEach(e -> names.add(e.getName()));
        return names;
    }

    private static EnvVar fromSecret(String key, String secret, boolean optional) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).withOptional(optional).endSecretKeyRef().endValueFrom().build();
    }
}
