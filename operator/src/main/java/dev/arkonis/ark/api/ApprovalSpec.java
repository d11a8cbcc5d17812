package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

/** A step that waits for a person to approve or reject, instead of running a role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalSpec(
        @Size(max = 4096) @JsonPropertyDescription("Template of what the approver is asked; reads .input and .steps like a prompt.")
        String message,
        @JsonPropertyDescription("How long to wait (90s, 30m, 24h, 1h30m); without it the step waits until decided.")
        String timeout,
        @Default("reject") @JsonPropertyDescription("What the timeout decides: reject (the default) or approve.")
        OnTimeout onTimeout) {

    public enum OnTimeout {
        @JsonProperty("reject") REJECT,
        @JsonProperty("approve") APPROVE
    }

    public OnTimeout effectiveOnTimeout() {
        return onTimeout == null ? OnTimeout.REJECT : onTimeout;
    }
}
