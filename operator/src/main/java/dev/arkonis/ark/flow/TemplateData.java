package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.gotemplate.JsonValues;
import java.util.Map;
import java.util.Optional;

/** Converts JSON into the plain maps, lists and scalars templates read. */
final class TemplateData {
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateData() {
    }

    /**
     * The parsed JSON of a step output for {@code .steps.<name>.data}, if the output is JSON at all; decoded as the
     * original ark decodes it (Go's encoding/json: every number a float64).
     */
    static Optional<Object> parseJson(String output) {
        if (output == null) {
            return Optional.empty();
        }
        String candidate = OutputChecker.extractJson(output);
        if (!(candidate.startsWith("{") || candidate.startsWith("["))) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JsonValues.of(JSON.readTree(candidate)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
