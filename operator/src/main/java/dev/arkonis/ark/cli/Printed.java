package dev.arkonis.ark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** Documents for programs, as {@code -o json} and {@code -o yaml} print them. */
final class Printed {
    private Printed() {
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
    }

    static String json(Object document) {
        return write(Json.MAPPER, document);
    }

    static String yaml(Object document) {
        return write(Yaml.MAPPER, document).stripTrailing();
    }

    static String as(OutputFormat format, Object document) {
        return format == OutputFormat.yaml ? yaml(document) : json(document);
    }

    private static String write(ObjectMapper mapper, Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("documents of maps, lists and records always serialise", e);
        }
    }
}
