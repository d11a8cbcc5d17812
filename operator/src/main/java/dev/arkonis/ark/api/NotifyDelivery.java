package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One message: what it was about and what became of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotifyDelivery(
        NotifyEventType event,
        String team,
        @JsonPropertyDescription("The run, agent or step the message is about.") String subject,
        @JsonPropertyDescription("Sent, Failed, Suppressed or TemplateFailed.") String result,
        Integer attempts,
        @JsonPropertyDescription("HTTP status of the last attempt, if one was answered.") Integer httpStatus,
        String message,
        String time) {
}
