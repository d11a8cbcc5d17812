package dev.arkonis.ark.flow;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON Schema checks (draft 2020-12 unless the schema names its own dialect), compiled once per schema text. */
public final class JsonSchemas {
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    /** Loaded on first use: a team without schemas never pays for the schema library (and its logging). */
    private static final class Library {
        static final JsonMapper JSON = JsonMapper.builder().build();
        static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    }

    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** Problems that make the text unusable as a schema: not JSON, not an object, or not valid against the meta-schema. */
    public List<String> checkSchema(String schemaText) {
        JsonNode node;
        try {
            node = Library.JSON.readTree(schemaText);
        } catch (JacksonException e) {
            return List.of("not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject() && !node.isBoolean()) {
            return List.of("a JSON Schema must be an object");
        }
        try {
            List<Error> errors = Library.REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA)).validate(node);
            if (!errors.isEmpty()) {
                // The meta-schema's anyOf branches report one mistake several times; the first says it best.
                return List.of("not a valid JSON Schema: " + errors.get(0));
            }
            compile(schemaText);
            return List.of();
        } catch (RuntimeException e) {
            return List.of("not a valid JSON Schema: " + e.getMessage());
        }
    }

    /** Validation errors of a JSON document against a schema already known to be valid; empty when it conforms. */
    public List<String> validate(String schemaText, String json) {
        JsonNode node;
        try {
            node = Library.JSON.readTree(json);
        } catch (JacksonException e) {
            return List.of("output is not valid JSON: " + e.getOriginalMessage());
        }
        return compile(schemaText).validate(node).stream().map(Error::toString).toList();
    }

    private Schema compile(String schemaText) {
        return compiled.computeIfAbsent(schemaText, Library.REGISTRY::getSchema);
    }
}
