package dev.arkonis.ark.llm.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.ModelPrices;
import dev.arkonis.ark.api.RateLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table of well-known models (the chart's {@code files/models.yaml}, in the jar too): context windows, prices and,
 * where an admin set them, cluster-wide rate limits. An override (the chart's {@code modelCatalog} value, which the
 * operator reads from {@code MODEL_CATALOG}) is merged over it field by field.
 */
public final class ModelCatalog {
    public static final String ENV = "MODEL_CATALOG";
    private static final String RESOURCE = "models.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    /** What the table says of one model; every field may be absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(Long contextWindow, ModelPrices prices, RateLimits rateLimits) {
        public static final Entry NONE = new Entry(null, null, null);
    }

    private final Map<String, Entry> entries;

    private ModelCatalog(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** The table the jar carries. */
    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the table of models is missing from the jar: " + RESOURCE);
            }
            return new ModelCatalog(read(YAML.readTree(in).path("models")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the table of models", e);
        }
    }

    /** The jar's table with this override merged over it: a map of model name to fields (YAML or JSON text). */
    public static ModelCatalog withOverride(String text) {
        ModelCatalog base = builtIn();
        if (text == null || text.isBlank()) {
            return base;
        }
        JsonNode override;
        try {
            override = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(ENV + " is not YAML or JSON: " + e.getMessage(), e);
        }
        if (override.has("models")) {
            override = override.get("models");
        }
        if (!override.isObject()) {
            throw new IllegalArgumentException(ENV + " must be a map of model names to their fields");
        }
        ObjectNode merged = YAML.valueToTree(base.entries);
        override.properties().forEach(e -> {
            JsonNode old = merged.get(e.getKey());
            merged.set(e.getKey(), old instanceof ObjectNode o && e.getValue().isObject() ? deepMerge(o.deepCopy(),
                    (ObjectNode) e.getValue()) : e.getValue());
        });
        return new ModelCatalog(read(merged));
    }

    /** What the table knows of a model; {@link Entry#NONE} for one it does not list. */
    public Entry entry(String model) {
        return model == null ? Entry.NONE : entries.getOrDefault(model, Entry.NONE);
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    private static Map<String, Entry> read(JsonNode models) {
        Map<String, Entry> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : models.properties()) {
                out.put(e.getKey(), YAML.treeToValue(e.getValue(), Entry.class));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the table of models has an entry of the wrong shape: "
                    + e.getMessage(), e);
        }
        return out;
    }

    private static ObjectNode deepMerge(ObjectNode into, ObjectNode over) {
        over.properties().forEach(e -> {
            JsonNode old = into.get(e.getKey());
            into.set(e.getKey(), old instanceof ObjectNode o && e.getValue().isObject()
                    ? deepMerge(o, (ObjectNode) e.getValue()) : e.getValue());
        });
        return into;
    }
}
