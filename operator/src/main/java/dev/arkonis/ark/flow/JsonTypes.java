package dev.arkonis.ark.flow;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Type problems in YAML words: "expected an integer", "expected one of openai, anthropic, azure, gemini, mock", "got a list". */
final class JsonTypes {
    private JsonTypes() {
    }

    static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "expected an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class || type == Number.class) {
            return "expected a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false";
        }
        if (type == String.class) {
            return "expected a string";
        }
        if (type.isEnum()) {
            return "expected one of " + enumNames(type);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "expected a list";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "expected a value";
        }
        if (type.getName().endsWith("IntOrString") || type.getName().endsWith("Quantity")) {
            return "expected a string or a number";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.") ? "expected a mapping"
                : "expected " + type.getSimpleName();
    }

    /** The names YAML uses for an enum's constants ({@code @JsonProperty}, else the constant's name). */
    static String enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> {
            try {
                JsonProperty property = type.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
                return property != null && !property.value().isEmpty() ? property.value() : ((Enum<?>) c).name();
            } catch (NoSuchFieldException e) {
                return ((Enum<?>) c).name();
            }
        }).collect(Collectors.joining(", "));
    }

    static String describe(JsonToken token, JsonParser p) throws IOException {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "\"" + p.getText() + "\"";
            case VALUE_NULL -> "null";
            default -> p.getText();
        };
    }

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
    }
}
