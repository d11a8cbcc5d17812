package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Fingerprint of the data an agent's pods read through references (prompt, MCP header secrets, API keys), put on
 * the pod template so that changing the data rolls the pods. Only a one-way hash of the values leaves this class.
 */
final class ConfigHash {
    private ConfigHash() {
    }

    static String of(List<DataRef> refs, Function<String, Optional<ConfigMap>> configMaps,
            Function<String, Optional<Secret>> secrets, Optional<Map<String, String>> apiKeys) {
        Map<String, String> parts = new TreeMap<>();
        for (DataRef ref : refs) {
            String id = ref.kind() + "/" + ref.name() + "/" + ref.key();
            Optional<String> value = switch (ref.kind()) {
                case CONFIG_MAP -> configMaps.apply(ref.name()).map(cm -> valueOf(cm.getData(), cm.getBinaryData(), ref.key()));
                case SECRET -> secrets.apply(ref.name()).map(s -> valueOf(s.getData(), s.getStringData(), ref.key()));
            };
            parts.put(id, value.map(Hashes::ofText).orElse("<missing>"));
        }
        apiKeys.ifPresent(data -> parts.put("api-keys", Hashes.ofValue(data)));
        return Hashes.ofValue(parts);
    }

    private static String valueOf(Map<String, String> data, Map<String, String> other, String key) {
        if (data != null && data.containsKey(key)) {
            return "d:" + data.get(key);
        }
        if (other != null && other.containsKey(key)) {
            return "o:" + other.get(key);
        }
        return "<no key>";
    }
}
