package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** A role of a team: the fields of an {@link AgentSpec} plus the role's name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = KeyRules.ENV_NO_COPY, message = KeyRules.COPY_MESSAGE, fieldPath = ".env")
@ValidationRule(value = KeyRules.ENV_FROM_NO_COPY, message = KeyRules.COPY_MESSAGE, fieldPath = ".envFrom")
public record TeamRole(
        @Required @Size(max = 40) @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @JsonPropertyDescription("Role name: part of the agent name <team>-<role> and the queue key.") String name,
        @Required @JsonPropertyDescription("Model name passed to the provider.") String model,
        @JsonPropertyDescription("LLM provider; detected from the model name when absent.") Provider provider,
        String systemPrompt,
        @JsonPropertyDescription("Reads the system prompt from a ConfigMap or Secret key; wins over systemPrompt.") PromptRef systemPromptRef,
        @Size(max = 50) List<EnvFromSource> envFrom,
        @Size(max = 100) List<EnvVar> env,
        @JsonPropertyDescription("The role's own provider keys, used instead of the team's or the organisation's.") ApiKeys apiKeys,
        @Default("1") @Min(0) Integer replicas,
        ResourceRequirements resources,
        AgentLimits limits,
        List<McpServerSpec> mcpServers,
        List<WebhookTool> tools,
        @Size(max = 50) @JsonPropertyDescription("Roles of this team it may hand tasks to with the built-in delegate tool.")
        List<String> canDelegate,
        @Size(max = 50) @JsonPropertyDescription("What it can do: registries index its agent by these.") List<Capability> capabilities,
        @JsonPropertyDescription("Replicas that follow the pending work; overrides the team's autoscaling.") Autoscaling autoscaling,
        @Size(max = 10) @JsonPropertyDescription("ArkSettings merged into its model calls, in order.") List<SettingsRef> settingsRefs) {

    /** The ArkAgent spec this role becomes. */
    public AgentSpec agentSpec() {
        return agentSpec(autoscaling);
    }

    /** The ArkAgent spec this role becomes in a team whose own autoscaling is {@code teamAutoscaling}. */
    public AgentSpec agentSpec(Autoscaling teamAutoscaling) {
        return new AgentSpec(model, provider, systemPrompt, systemPromptRef, envFrom, env, apiKeys, replicas, resources,
                limits, mcpServers, tools, canDelegate, capabilities, autoscaling != null ? autoscaling : teamAutoscaling,
                settingsRefs);
    }

    /** An ArkAgent seen as a role named {@code name} (a standalone agent a run hands work to). */
    public static TeamRole fromAgent(String name, AgentSpec spec) {
        return new TeamRole(name, spec.model(), spec.provider(), spec.systemPrompt(), spec.systemPromptRef(),
                spec.envFrom(), spec.env(), spec.apiKeys(), spec.replicas(), spec.resources(), spec.limits(),
                spec.mcpServers(), spec.tools(), spec.canDelegate(), spec.capabilities(), spec.autoscaling(),
                spec.settingsRefs());
    }

    public List<String> delegates() {
        return canDelegate == null ? List.of() : canDelegate;
    }

    /** This role with these provider keys. */
    public TeamRole withApiKeys(ApiKeys keys) {
        return new TeamRole(name, model, provider, systemPrompt, systemPromptRef, envFrom, env, keys, replicas, resources,
                limits, mcpServers, tools, canDelegate, capabilities, autoscaling, settingsRefs);
    }
}
