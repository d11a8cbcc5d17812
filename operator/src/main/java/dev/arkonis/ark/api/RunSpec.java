package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Spec of an ArkRun: which team, with what input; and what people ask of it while it runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.teamRef) || has(self.team)", message = "set teamRef.name (or team)")
@ValidationRule(value = "!has(oldSelf.cancel) || !oldSelf.cancel || (has(self.cancel) && self.cancel)",
        message = "a cancelled run stays cancelled", fieldPath = ".cancel")
@ValidationRule(value = "has(self.resumeFrom) == has(oldSelf.resumeFrom) && (!has(self.resumeFrom) || self.resumeFrom == oldSelf.resumeFrom)",
        message = "resumeFrom is set when the run is created and never changes", fieldPath = ".resumeFrom")
public record RunSpec(
        TeamRef teamRef,
        @JsonPropertyDescription("Team name; same as teamRef.name.") String team,
        @JsonPropertyDescription("Values of the team's inputs.") @PreserveUnknownFields JsonNode input,
        @Min(1) @JsonPropertyDescription("Overrides the team's timeoutSeconds.") Integer timeoutSeconds,
        @Min(1) @JsonPropertyDescription("Overrides the team's maxTokens.") Long maxTokens,
        @JsonPropertyDescription("True: no new step starts, running ones finish, the run's and its approvals' timeouts "
                + "pause; false (or absent) resumes it.") Boolean suspend,
        @JsonPropertyDescription("True: queued tasks are withdrawn, running ones end, the rest is Cancelled; the run "
                + "and its history are kept. Cannot be undone.") Boolean cancel,
        @JsonPropertyDescription("Start as the earlier run's team snapshot, reusing its outputs of every step not "
                + "downstream of step.") ResumeFrom resumeFrom,
        @Min(0) @JsonPropertyDescription("Seconds after the run finishes that it is deleted, with the outputs kept "
                + "for it; overrides the team's ttlSecondsAfterFinished. Unset on both: kept (within the team's "
                + "history limits).") Integer ttlSecondsAfterFinished) {

    /** A run as written before it could be steered. */
    public RunSpec(TeamRef teamRef, String team, JsonNode input, Integer timeoutSeconds, Long maxTokens) {
        this(teamRef, team, input, timeoutSeconds, maxTokens, null, null, null);
    }

    /** A run as written before it could expire. */
    public RunSpec(TeamRef teamRef, String team, JsonNode input, Integer timeoutSeconds, Long maxTokens,
                   Boolean suspend, Boolean cancel, ResumeFrom resumeFrom) {
        this(teamRef, team, input, timeoutSeconds, maxTokens, suspend, cancel, resumeFrom, null);
    }

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    public boolean cancelled() {
        return Boolean.TRUE.equals(cancel);
    }

    public String teamName() {
        return teamRef != null && teamRef.name() != null ? teamRef.name() : team;
    }
}
