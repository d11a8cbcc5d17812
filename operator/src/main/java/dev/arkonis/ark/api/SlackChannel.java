package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public record SlackChannel(
        @Required @JsonPropertyDescription("Secret key holding the incoming-webhook URL (never logged).") SecretRef webhookUrlSecretRef) {
}
