package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Runs a step again while its condition holds: the original's loop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoopSpec(
        @Required @JsonPropertyDescription("Template rendered after each successful iteration, with the latest output as "
                + ".steps.<name>.output/.data and .steps.<name>.iteration; a truthy result runs the step again.")
        String condition,
        @Default("10") @Min(1) @Max(100) @JsonPropertyDescription("Most iterations the step runs (default 10, at most 100).")
        Integer maxIterations) {

    public static final int DEFAULT_MAX_ITERATIONS = 10;
    public static final int MAX_ITERATIONS = 100;

    public int effectiveMaxIterations() {
        return maxIterations == null ? DEFAULT_MAX_ITERATIONS : maxIterations;
    }
}
