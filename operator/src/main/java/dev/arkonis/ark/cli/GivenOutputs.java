package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.flow.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --outputs file.json} of a dry run: {@code {"step": "text"}} or {@code {"step": {...json...}}}; a JSON value
 * stands for a step that answered that JSON.
 */
final class GivenOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GivenOutputs() {
    }

    static Map<String, String> read(Path file, Pipeline pipeline) {
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--outputs " + file + ": " + (e instanceof java.io.FileNotFoundException
                    ? "no such file" : "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("--outputs " + file + ": expected a JSON object of outputs by step name");
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (pipeline.step(e.getKey()) == null) {
                throw new IllegalArgumentException("--outputs " + file + ": no step \"" + e.getKey() + "\" in the pipeline (steps: "
                        + String.join(", ", pipeline.steps().stream().map(s -> s.name()).toList()) + ")");
            }
            outputs.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return outputs;
    }
}
