package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * One step of a pipeline: a role, what it depends on, and the templates of its task; or, with {@code approval}, a
 * person's decision instead of a role.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.role) != has(self.approval)", message = "set exactly one of role and approval")
@ValidationRule(value = "!has(self.registryLookup) || !has(self.approval)", message = "an approval step has no registryLookup")
@ValidationRule(value = "!has(self.approval) || has(self.name)", message = "an approval step needs a name", fieldPath = ".name")
public record PipelineStep(
        @Size(max = 40) @JsonPropertyDescription("Role that runs the step (absent for an approval step; with "
                + "registryLookup, a label of the step: the role runs it only when nothing matches and there is no "
                + "fallback).") String role,
        @Size(max = 63) @JsonPropertyDescription("Step name; defaults to the role.") String name,
        @Size(max = 20) List<String> dependsOn,
        @JsonPropertyDescription("Templates of the task; 'prompt' is the task text.") Map<String, String> inputs,
        @JsonPropertyDescription("JSON Schema (as a string) the output must satisfy.") String outputSchema,
        @JsonProperty("if") @JsonPropertyDescription("Template; a falsy result skips the step.") String condition,
        @Min(1) Integer timeoutSeconds,
        StepValidation validate,
        @JsonPropertyDescription("Repeat the step while loop.condition holds, up to loop.maxIterations.") LoopSpec loop,
        @JsonPropertyDescription("Find the agent that runs the step by capability when it starts, instead of by role.")
        RegistryLookup registryLookup,
        @JsonPropertyDescription("Wait for a person to approve or reject (instead of a role).") ApprovalSpec approval,
        @JsonPropertyDescription("Reuse an earlier output of the same role configuration and rendered prompt; "
                + "overrides the team's cache.") CacheSpec cache) {

    /** A step of a role, as written before lookups, approvals and caching existed. */
    public PipelineStep(String role, String name, List<String> dependsOn, Map<String, String> inputs, String outputSchema,
                        String condition, Integer timeoutSeconds, StepValidation validate, LoopSpec loop) {
        this(role, name, dependsOn, inputs, outputSchema, condition, timeoutSeconds, validate, loop, null, null, null);
    }

    /** A step of a role or of a lookup, as written before approvals and caching existed. */
    public PipelineStep(String role, String name, List<String> dependsOn, Map<String, String> inputs, String outputSchema,
                        String condition, Integer timeoutSeconds, StepValidation validate, LoopSpec loop,
                        RegistryLookup registryLookup) {
        this(role, name, dependsOn, inputs, outputSchema, condition, timeoutSeconds, validate, loop, registryLookup,
                null, null);
    }

    /** Waits for a person instead of running a role. */
    public boolean waitsForApproval() {
        return approval != null;
    }

    public String effectiveName() {
        return name == null || name.isEmpty() ? role : name;
    }

    public List<String> dependencies() {
        return dependsOn == null ? List.of() : dependsOn;
    }

    public Map<String, String> templates() {
        return inputs == null ? Map.of() : inputs;
    }

    /** outputSchema wins over validate.schema when both are set. */
    public String effectiveSchema() {
        if (outputSchema != null && !outputSchema.isBlank()) {
            return outputSchema;
        }
        return validate != null && validate.schema() != null && !validate.schema().isBlank() ? validate.schema() : null;
    }
}
