package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Routed mode: one router model call per run picks the capability, and so the agent, that does the task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Routing(
        @Required @JsonPropertyDescription("The ArkRegistry whose capabilities the router chooses from.") RegistryRef registryRef,
        @Required @JsonPropertyDescription("Model of the router call.") String model,
        @JsonPropertyDescription("ArkAgent that takes the task when no capability fits or the router fails.") String fallback,
        @JsonPropertyDescription("LLM provider of the router call; detected from the model name when absent.") Provider provider) {

    public Routing(RegistryRef registryRef, String model, String fallback) {
        this(registryRef, model, fallback, null);
    }
}
