package dev.arkonis.ark.llm.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.tools.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a {@link Tool} to LangChain4j. Each property keeps its JSON Schema verbatim (as a raw
 * schema), so nested objects, enums and formats reach the model exactly as the tool declared them.
 */
final class ToolSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolSpecs() {
    }

    static ToolSpecification of(Tool tool) {
        JsonNode schema;
        try {
            schema = JSON.readTree(tool.parametersSchema());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool " + tool.name() + " has an input schema that is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            parameters.addProperty(p.getKey(), JsonRawSchema.from(p.getValue().toString()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        if (!required.isEmpty()) {
            parameters.required(required);
        }
        if (schema.path("additionalProperties").isBoolean()) {
            parameters.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
        for (String keyword : List.of("definitions", "$defs")) {
            for (Map.Entry<String, JsonNode> d : schema.path(keyword).properties()) {
                definitions.put(d.getKey(), JsonRawSchema.from(d.getValue().toString()));
            }
        }
        if (!definitions.isEmpty()) {
            parameters.definitions(definitions);
        }
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(parameters.build())
                .build();
    }
}
