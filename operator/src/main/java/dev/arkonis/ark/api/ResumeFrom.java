package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An earlier run of the same namespace to start again from one of its steps. */
public record ResumeFrom(
        @Required @Size(max = 253) @JsonPropertyDescription("The earlier ArkRun, in this namespace.") String run,
        @Required @Size(max = 63) @JsonPropertyDescription("The step to run again, with every step after it; the "
                + "others keep the earlier run's outputs.") String step) {
}
