package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** Spec of an ArkAgent: one role's model, prompt, tools and limits, run by a pool of pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = KeyRules.AGENT_ENV, message = KeyRules.ENV_MESSAGE, fieldPath = ".env")
@ValidationRule(value = KeyRules.ENV_NO_COPY, message = KeyRules.COPY_MESSAGE, fieldPath = ".env")
@ValidationRule(value = KeyRules.ENV_FROM_NO_COPY, message = KeyRules.COPY_MESSAGE, fieldPath = ".envFrom")
public record AgentSpec(
        @Required @JsonPropertyDescription("Model name passed to the provider.") String model,
        @JsonPropertyDescription("LLM provider; detected from the model name when absent.") Provider provider,
        String systemPrompt,
        @JsonPropertyDescription("Reads the system prompt from a ConfigMap or Secret key; wins over systemPrompt.") PromptRef systemPromptRef,
        @Size(max = 50) List<EnvFromSource> envFrom,
        @Size(max = 100) List<EnvVar> env,
        @JsonPropertyDescription("The role's own provider keys, used instead of the organisation's.") ApiKeys apiKeys,
        @SpecReplicas @Default("1") @Min(0) Integer replicas,
        ResourceRequirements resources,
        AgentLimits limits,
        List<McpServerSpec> mcpServers,
        List<WebhookTool> tools,
        @Size(max = 50) @JsonPropertyDescription("Roles of its team it may hand tasks to with the built-in delegate tool.")
        List<String> canDelegate,
        @Size(max = 50) @JsonPropertyDescription("What it can do: registries index it by these for routing and lookups.")
        List<Capability> capabilities,
        @JsonPropertyDescription("Replicas that follow the pending work, down to zero when idle.") Autoscaling autoscaling,
        @Size(max = 10) @JsonPropertyDescription("ArkSettings merged into its model calls, in order.") List<SettingsRef> settingsRefs) {

    public Provider effectiveProvider() {
        return provider != null ? provider : Provider.detect(model);
    }

    public AgentLimits effectiveLimits() {
        return limits != null ? limits : AgentLimits.DEFAULTS;
    }

    public int effectiveReplicas() {
        return replicas == null ? 1 : replicas;
    }

    public List<Capability> capabilityList() {
        return capabilities == null ? List.of() : capabilities;
    }

    public List<String> delegates() {
        return canDelegate == null ? List.of() : canDelegate;
    }

    public List<SettingsRef> settingsRefList() {
        return settingsRefs == null ? List.of() : settingsRefs;
    }

    public AgentSpec withLimits(AgentLimits newLimits) {
        return new AgentSpec(model, provider, systemPrompt, systemPromptRef, envFrom, env, apiKeys, replicas, resources,
                newLimits, mcpServers, tools, canDelegate, capabilities, autoscaling, settingsRefs);
    }

    /** Whether the agent brings its own provider keys, and so gets none of the organisation's. */
    public boolean hasOwnKeys() {
        return apiKeys != null;
    }
}
