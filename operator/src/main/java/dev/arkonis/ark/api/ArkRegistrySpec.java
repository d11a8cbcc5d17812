package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArkRegistrySpec(
        @Default("namespace-scoped") @JsonPropertyDescription("Which agents it indexes: namespace-scoped, the ArkAgents "
                + "of its own namespace (the only scope ark implements).") String scope,
        @JsonPropertyDescription("Limits that delegation and routing keep to.") Policy policy) {

    public static final String NAMESPACE_SCOPED = "namespace-scoped";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(
            @Min(1) @JsonPropertyDescription("Delegation hops allowed below a run's entry task.") Integer maxDepth,
            @JsonPropertyDescription("Whether routing and lookups may pick agents that belong to other teams.")
            Boolean allowCrossTeam) {
    }

    public String effectiveScope() {
        return scope == null || scope.isBlank() ? NAMESPACE_SCOPED : scope;
    }
}
