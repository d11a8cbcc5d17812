package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An approval step's question and, once decided, who decided (as the API server authenticated them), when and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalStatus(
        @JsonPropertyDescription("What the approver is asked (the rendered approval.message).") String message,
        @JsonPropertyDescription("Approved or Rejected, once decided.") ApprovalVerdict decision,
        @JsonPropertyDescription("Who decided: the user name the API server authenticated (checked by the admission "
                + "policy ark-approvals); absent when the timeout decided.") String decidedBy,
        String decidedAt,
        String comment,
        @JsonPropertyDescription("The timeout decided, as approval.onTimeout says.") Boolean timedOut) {
}
