package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token of a webhook ArkEvent: a Secret {@code <event>-webhook-token} (key {@code token}, 32 random bytes
 * as hex, as the original), owned by the event so it goes when the event goes.
 */
final class TokenSecrets {
    static final String KEY = "token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;

    TokenSecrets(KubernetesClient client) {
        this.client = client;
    }

    static String nameOf(String event) {
        return event + "-webhook-token";
    }

    /** Creates the Secret unless {@code existing} shows it is there. */
    void ensure(ArkEvent event, Optional<Secret> existing) {
        if (existing.isPresent()) {
            return;
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(nameOf(event.getMetadata().getName()))
                .withNamespace(event.getMetadata().getNamespace())
                .withLabels(Map.of(Ark.LABEL_EVENT_TOKEN, RunNames.labelValue(event.getMetadata().getName()),
                        Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(event.getApiVersion())
                        .withKind(event.getKind()).withName(event.getMetadata().getName())
                        .withUid(event.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false).build())
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(KEY, Base64.getEncoder().encodeToString(
                        HexFormat.of().formatHex(raw).getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            client.resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** The token a Secret holds, if any. */
    static Optional<String> tokenOf(Secret secret) {
        if (secret.getData() != null && secret.getData().get(KEY) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8).strip());
        }
        if (secret.getStringData() != null && secret.getStringData().get(KEY) != null) {
            return Optional.of(secret.getStringData().get(KEY).strip());
        }
        return Optional.empty();
    }
}
