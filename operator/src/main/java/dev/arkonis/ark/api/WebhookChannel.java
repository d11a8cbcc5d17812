package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A plain JSON POST; {@code webhookUrlSecretRef} is accepted too, spelled as the Slack channel's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.urlSecretRef) || has(self.webhookUrlSecretRef)", message = "set webhook.urlSecretRef")
public record WebhookChannel(
        @JsonPropertyDescription("Secret key holding the URL (never logged).") SecretRef urlSecretRef,
        @JsonPropertyDescription("Same as urlSecretRef.") SecretRef webhookUrlSecretRef) {

    public SecretRef url() {
        return urlSecretRef != null ? urlSecretRef : webhookUrlSecretRef;
    }
}
