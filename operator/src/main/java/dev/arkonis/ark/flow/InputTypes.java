package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.TeamInput;
import java.util.Optional;

/** Whether a JSON value fits an input's declared type. */
final class InputTypes {
    private InputTypes() {
    }

    static Optional<String> mismatch(TeamInput input, JsonNode value) {
        boolean fits = switch (input.effectiveType()) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case INTEGER -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
        };
        return fits ? Optional.empty() : Optional.of("expected " + article(input.effectiveType().wireName()) + ", found "
                + describe(value));
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static String describe(JsonNode value) {
        String kind = switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase();
        };
        String text = value.toString();
        return value.isContainerNode() || text.length() > 40 ? kind : kind + " (" + text + ")";
    }
}
