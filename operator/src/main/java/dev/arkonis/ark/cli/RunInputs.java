package dev.arkonis.ark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arkonis.ark.api.TeamInput;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code --input} values of every command that starts a run ({@code run}, {@code trigger}, {@code submit}), merged
 * in order: JSON objects ('{"topic":"x"}') and key=value pairs, a value being text for string inputs (and inputs the
 * team does not declare) and JSON otherwise. Every problem reads as one plain sentence naming the argument.
 */
public final class RunInputs {
    static final String FORMS = "give a JSON object ('{\"topic\": \"x\"}') or key=value";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RunInputs() {
    }

    public static ObjectNode parse(List<String> args, List<TeamInput> declared) throws IllegalArgumentException {
        Map<String, TeamInput> byName = declared.stream()
                .collect(Collectors.toMap(TeamInput::name, Function.identity(), (a, b) -> a));
        ObjectNode input = JSON.createObjectNode();
        for (String arg : args) {
            String trimmed = arg.strip();
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                JsonNode node = readJson(trimmed);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("--input " + arg + ": not a JSON object; " + FORMS);
                }
                input.setAll((ObjectNode) node);
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--input " + arg + ": " + FORMS);
            }
            String key = arg.substring(0, eq).strip();
            String value = arg.substring(eq + 1);
            TeamInput decl = byName.get(key);
            if (decl == null || decl.effectiveType() == TeamInput.InputType.STRING) {
                input.set(key, TextNode.valueOf(value));
                continue;
            }
            JsonNode parsed = readJson(value.strip());
            if (parsed == null) {
                throw new IllegalArgumentException("--input " + arg + ": input \"" + key + "\" is declared "
                        + decl.effectiveType().wireName() + ", so its value must be JSON (" + example(decl) + ")");
            }
            input.set(key, parsed);
        }
        return input;
    }

    private static String example(TeamInput input) {
        String key = input.name();
        return switch (input.effectiveType()) {
            case NUMBER -> key + "=2.5";
            case INTEGER -> key + "=300";
            case BOOLEAN -> key + "=true";
            case OBJECT -> key + "='{\"a\": 1}'";
            case ARRAY -> key + "='[\"a\", \"b\"]'";
            case STRING -> key + "=text";
        };
    }

    /** The JSON value of the whole text, or null when the text is not one JSON value. */
    private static JsonNode readJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
