package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What fires an ArkEvent. {@code team-output}/{@code teamOutput} are the later spelling of {@code pipeline-output}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'cron' || has(self.cron)", message = "a cron source needs cron (5 fields)")
@ValidationRule(value = "!(self.type in ['pipeline-output', 'team-output']) || has(self.pipelineOutput) || has(self.teamOutput)",
        message = "a pipeline-output source needs pipelineOutput.name (the team to watch)")
public record TriggerSource(
        @Required Type type,
        @JsonPropertyDescription("5-field cron expression (minute hour day-of-month month day-of-week), type cron.") String cron,
        @JsonPropertyDescription("IANA time zone the cron expression is read in; default UTC.") String timeZone,
        @Min(0) @JsonPropertyDescription("A schedule slot missed by more than this many seconds (operator down, "
                + "suspended) is skipped, as a CronJob's; unset = the latest missed slot always fires.")
        Long startingDeadlineSeconds,
        @JsonPropertyDescription("The team whose runs fire this event, type pipeline-output.") PipelineOutputSource pipelineOutput,
        @JsonPropertyDescription("Same as pipelineOutput.") PipelineOutputSource teamOutput) {

    public enum Type {
        @JsonProperty("cron") CRON,
        @JsonProperty("webhook") WEBHOOK,
        @JsonProperty("pipeline-output") PIPELINE_OUTPUT,
        @JsonProperty("team-output") TEAM_OUTPUT;

        public boolean watchesRuns() {
            return this == PIPELINE_OUTPUT || this == TEAM_OUTPUT;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** pipelineOutput, else teamOutput, else null. */
    public PipelineOutputSource upstream() {
        return pipelineOutput != null ? pipelineOutput : teamOutput;
    }
}
