package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Spec of an ArkModel. Fields left out come from the operator's table of well-known models (the chart's
 * {@code modelCatalog}) for {@code model}, when it has it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ArkModelSpec.ENDPOINT_RULE, message = ArkModelSpec.ENDPOINT_MESSAGE, fieldPath = ".endpoint")
public record ArkModelSpec(
        @Required @JsonPropertyDescription("The provider that serves the model.") Provider provider,
        @JsonPropertyDescription("The model's name at the provider (for azure, the deployment); default: this "
                + "ArkModel's name.") String model,
        @Pattern("^https?://[^\\s]+$")
        @JsonPropertyDescription("The provider's API root (e.g. a gateway's https://llm.example/v1); only with "
                + "apiKeys, so the organisation's key never goes to an endpoint of a namespace's choosing.") String endpoint,
        @JsonPropertyDescription("Azure OpenAI's api-version (azure only).") String apiVersion,
        @JsonPropertyDescription("This model's own provider keys (a Secret of this namespace with the provider's "
                + "variables); default: the keys of the agent that uses it.") ApiKeys apiKeys,
        @JsonPropertyDescription("The provider's quota for this model, shared by every agent of the namespace that "
                + "uses it.") RateLimits rateLimits,
        @JsonPropertyDescription("What the model costs, US dollars per million tokens.") ModelPrices prices,
        @JsonPropertyDescription("Tokens the model reads at most, prompt and answer together.") @Min(1) Long contextWindow,
        @Size(max = 10)
        @JsonPropertyDescription("Models to try in order when this one fails in a way a retry did not heal (an "
                + "ArkModel's name, or a model name).") List<String> fallback) {

    static final String ENDPOINT_RULE = "!has(self.endpoint) || has(self.apiKeys)";
    static final String ENDPOINT_MESSAGE = "an endpoint needs apiKeys.secretRef: without them the model runs with the "
            + "organisation's key, which goes only to the organisation's endpoint";

    public List<String> fallbackList() {
        return fallback == null ? List.of() : fallback;
    }
}
