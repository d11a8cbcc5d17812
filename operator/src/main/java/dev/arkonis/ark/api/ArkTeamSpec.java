package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Spec of an ArkTeam. The CEL rules repeat the engine's structural checks so the API server rejects
 * bad teams before the operator sees them (each reported at the list it is about); list sizes are bounded to keep
 * the rules' cost estimable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.entry) || has(self.routing) || (has(self.pipeline) && size(self.pipeline) > 0)",
        message = "pipeline must have at least one step (or set entry for dynamic mode, routing for routed mode)",
        fieldPath = ".pipeline")
@ValidationRule(value = "!has(self.roles) || self.roles.all(r, self.roles.exists_one(o, o.name == r.name))",
        message = "role names must be unique", fieldPath = ".roles")
@ValidationRule(value = "!has(self.pipeline) || self.pipeline.all(s, has(s.approval) || has(s.registryLookup) || (has(s.role) && has(self.roles) && self.roles.exists(r, r.name == s.role)))",
        message = "every step's role must name a role of this team (unless the step is an approval or has a registryLookup)",
        fieldPath = ".pipeline")
@ValidationRule(value = "!has(self.pipeline) || self.pipeline.all(s, self.pipeline.exists_one(p, (has(p.name) ? p.name : p.role) == (has(s.name) ? s.name : s.role)))",
        message = "step names must be unique (a step's name defaults to its role)", fieldPath = ".pipeline")
@ValidationRule(value = "!has(self.pipeline) || self.pipeline.all(s, !has(s.dependsOn) || s.dependsOn.all(d, self.pipeline.exists(p, (has(p.name) ? p.name : p.role) == d)))",
        message = "every dependsOn must name a step of this pipeline", fieldPath = ".pipeline")
@ValidationRule(value = KeyRules.TEAM_ENV, message = KeyRules.ENV_MESSAGE, fieldPath = ".roles")
public record ArkTeamSpec(
        @Size(min = 1, max = 50) List<TeamRole> roles,
        @Size(max = 50) List<TeamInput> inputs,
        @Size(max = 100) List<PipelineStep> pipeline,
        @JsonPropertyDescription("Template of the run's output; defaults to the output of the last step.") String output,
        @Min(1) @JsonPropertyDescription("Seconds the whole run may take.") Integer timeoutSeconds,
        @Min(1) @JsonPropertyDescription("Tokens one run may spend; no further steps are dispatched once exceeded.") Long maxTokens,
        @Default("10") @Min(0) Integer successfulRunsHistoryLimit,
        @Default("5") @Min(0) Integer failedRunsHistoryLimit,
        @JsonPropertyDescription("Dynamic mode: the role that takes each run's task; roles hand work on with canDelegate.") String entry,
        @JsonPropertyDescription("ArkNotify told when runs end, steps fail and budgets run out.") NotifyRef notifyRef,
        @JsonPropertyDescription("Provider keys of every role that names none, used instead of the organisation's.") ApiKeys apiKeys,
        @JsonPropertyDescription("Routed mode: a router call picks, per run, the registry's agent that does the task.") Routing routing,
        @JsonPropertyDescription("Accepted for compatibility and ignored: registryLookup belongs on pipeline steps.")
        @PreserveUnknownFields JsonNode registryLookup,
        @JsonPropertyDescription("Replicas of every role follow the pending work (a role's own autoscaling wins).") Autoscaling autoscaling,
        @JsonPropertyDescription("Default cache of every step of a role (a step's own cache overrides it).") CacheSpec cache,
        @Min(0) @JsonPropertyDescription("Seconds after a run of this team finishes that it is deleted, with the "
                + "outputs kept for it, unless the run sets its own; unset: runs are kept within the history limits.")
        Integer ttlSecondsAfterFinished) {

    /** A team as written before its runs could expire. */
    public ArkTeamSpec(List<TeamRole> roles, List<TeamInput> inputs, List<PipelineStep> pipeline, String output,
                       Integer timeoutSeconds, Long maxTokens, Integer successfulRunsHistoryLimit,
                       Integer failedRunsHistoryLimit, String entry, NotifyRef notifyRef, ApiKeys apiKeys,
                       Routing routing, JsonNode registryLookup, Autoscaling autoscaling, CacheSpec cache) {
        this(roles, inputs, pipeline, output, timeoutSeconds, maxTokens, successfulRunsHistoryLimit,
                failedRunsHistoryLimit, entry, notifyRef, apiKeys, routing, registryLookup, autoscaling, cache, null);
    }

    /** A team as written before step caching existed. */
    public ArkTeamSpec(List<TeamRole> roles, List<TeamInput> inputs, List<PipelineStep> pipeline, String output,
                       Integer timeoutSeconds, Long maxTokens, Integer successfulRunsHistoryLimit,
                       Integer failedRunsHistoryLimit, String entry, NotifyRef notifyRef, ApiKeys apiKeys,
                       Routing routing, JsonNode registryLookup, Autoscaling autoscaling) {
        this(roles, inputs, pipeline, output, timeoutSeconds, maxTokens, successfulRunsHistoryLimit,
                failedRunsHistoryLimit, entry, notifyRef, apiKeys, routing, registryLookup, autoscaling, null, null);
    }

    /** A team as written before step caching and autoscaling existed. */
    public ArkTeamSpec(List<TeamRole> roles, List<TeamInput> inputs, List<PipelineStep> pipeline, String output,
                       Integer timeoutSeconds, Long maxTokens, Integer successfulRunsHistoryLimit,
                       Integer failedRunsHistoryLimit, String entry, NotifyRef notifyRef, ApiKeys apiKeys,
                       Routing routing, JsonNode registryLookup) {
        this(roles, inputs, pipeline, output, timeoutSeconds, maxTokens, successfulRunsHistoryLimit,
                failedRunsHistoryLimit, entry, notifyRef, apiKeys, routing, registryLookup, null, null, null);
    }

    public static final int DEFAULT_SUCCESSFUL_RUNS_HISTORY_LIMIT = 10;
    public static final int DEFAULT_FAILED_RUNS_HISTORY_LIMIT = 5;

    public List<TeamRole> roleList() {
        return roles == null ? List.of() : roles;
    }

    /** The roles as their agents run them: a role that names no provider keys takes the team's. */
    public List<TeamRole> effectiveRoles() {
        return apiKeys == null ? roleList()
                : roleList().stream().map(r -> r.apiKeys() == null ? r.withApiKeys(apiKeys) : r).toList();
    }

    public List<TeamInput> inputList() {
        return inputs == null ? List.of() : inputs;
    }

    /** The ArkAgent spec of one of its roles, with the team's autoscaling where the role sets none. */
    public AgentSpec agentSpec(TeamRole role) {
        return role.agentSpec(autoscaling);
    }

    public ArkTeamSpec withRoles(List<TeamRole> newRoles) {
        return new ArkTeamSpec(newRoles, inputs, pipeline, output, timeoutSeconds, maxTokens, successfulRunsHistoryLimit,
                failedRunsHistoryLimit, entry, notifyRef, apiKeys, routing, registryLookup, autoscaling, cache,
                ttlSecondsAfterFinished);
    }

    public List<PipelineStep> steps() {
        return pipeline == null ? List.of() : pipeline;
    }
}
