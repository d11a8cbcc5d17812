package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Something an agent can do, by which registries index it for routing and lookups. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Capability(
        @Required @Size(min = 1, max = 100) @JsonPropertyDescription("Capability id, e.g. research.academic.") String id,
        @JsonPropertyDescription("What the capability covers; a router model reads it to choose.") String description,
        @Size(max = 20) @JsonPropertyDescription("Tags a registryLookup may require.") List<String> tags) {

    public List<String> tagList() {
        return tags == null ? List.of() : tags;
    }
}
