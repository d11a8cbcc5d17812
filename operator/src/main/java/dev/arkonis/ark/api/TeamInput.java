package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A declared input of a team, referenced in templates as {@code .input.<name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamInput(
        @Required String name,
        @Default("string") InputType type,
        String description,
        Boolean required,
        @JsonProperty("default") @PreserveUnknownFields JsonNode defaultValue) {

    public enum InputType {
        @JsonProperty("string") STRING,
        @JsonProperty("number") NUMBER,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("boolean") BOOLEAN,
        @JsonProperty("object") OBJECT,
        @JsonProperty("array") ARRAY;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public InputType effectiveType() {
        return type == null ? InputType.STRING : type;
    }

    public boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }
}
