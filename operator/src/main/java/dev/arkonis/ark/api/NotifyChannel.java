package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Where messages go: a Slack incoming webhook, or any URL that takes a JSON POST; the URL is read from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'slack' || has(self.slack)", message = "a slack channel needs slack.webhookUrlSecretRef")
@ValidationRule(value = "self.type != 'webhook' || has(self.webhook)", message = "a webhook channel needs webhook.urlSecretRef")
public record NotifyChannel(@Required Type type, SlackChannel slack, WebhookChannel webhook) {

    public enum Type {
        @JsonProperty("slack") SLACK,
        @JsonProperty("webhook") WEBHOOK
    }

    /** The Secret key holding the URL of the chosen channel, or null when the spec lacks it. */
    public SecretRef urlRef() {
        return switch (type == null ? Type.WEBHOOK : type) {
            case SLACK -> slack == null ? null : slack.webhookUrlSecretRef();
            case WEBHOOK -> webhook == null ? null : webhook.url();
        };
    }
}
