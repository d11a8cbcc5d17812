package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One kind of event to send, and the message as a template over .team, .run, .agent, .step, .event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotifyEvent(
        @Required NotifyEventType type,
        @JsonPropertyDescription("Message template; unset = a one-line default.") String template) {
}
