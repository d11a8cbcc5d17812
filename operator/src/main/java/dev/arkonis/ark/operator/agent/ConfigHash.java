package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.operator.Hashes;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fingerprint of the data an agent's pods read through references (prompt, MCP header secrets, API keys), put on
 * the pod template so that changing the data rolls the pods. Only a one-way hash of the values leaves this class.
 */
final class ConfigHash {
    private ConfigHash() {
    }

    static String of(List<DataRef> refs, ReferencedData.Values referenced, Optional<Map<String, String>> apiKeys) {
        Map<String, String> parts = new TreeMap<>();
        for (DataRef ref : refs) {
            parts.put(ref.kind() + "/" + ref.name() + "/" + ref.key(), referenced.of(ref));
        }
        apiKeys.ifPresent(data -> parts.put("api-keys", Hashes.ofValue(data)));
        return Hashes.ofValue(parts);
    }
}
