package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A whole Secret of the same namespace, by name. */
public record NamedSecret(@Required @JsonPropertyDescription("Secret name.") String name) {
}
