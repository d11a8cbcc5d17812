package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Reuse an earlier output of the same role configuration and rendered prompt, if it is younger than maxAge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheSpec(
        @Required @JsonPropertyDescription("How old a reused output may be (30m, 24h, 168h); 0 turns caching off for the step.")
        String maxAge) {
}
