package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** One step of a pipeline: a role, what it depends on, and the templates of its task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineStep(
        @Required @Size(max = 40) @JsonPropertyDescription("Role that runs the step (with registryLookup, a label "
                + "of the step: the role runs it only when nothing matches and there is no fallback).") String role,
        @Size(max = 63) @JsonPropertyDescription("Step name; defaults to the role.") String name,
        @Size(max = 20) List<String> dependsOn,
        @JsonPropertyDescription("Templates of the task; 'prompt' is the task text.") Map<String, String> inputs,
        @JsonPropertyDescription("JSON Schema (as a string) the output must satisfy.") String outputSchema,
        @JsonProperty("if") @JsonPropertyDescription("Template; a falsy result skips the step.") String condition,
        @Min(1) Integer timeoutSeconds,
        StepValidation validate,
        @JsonPropertyDescription("Repeat the step while loop.condition holds, up to loop.maxIterations.") LoopSpec loop,
        @JsonPropertyDescription("Find the agent that runs the step by capability when it starts, instead of by role.")
        RegistryLookup registryLookup) {

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
