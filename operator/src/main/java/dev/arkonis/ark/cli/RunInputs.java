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

/** Merges --input values: JSON objects ('{"topic":"x"}') and key=value pairs, typed by the team's declared inputs. */
public final class RunInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunInputs() {
    }

    public static ObjectNode parse(List<String> args, List<TeamInput> declared) throws IllegalArgumentException {
        Map<String, TeamInput> byName = declared.stream()
                .collect(Collectors.toMap(TeamInput::name, Function.identity(), (a, b) -> a));
        ObjectNode input = JSON.createObjectNode();
        for (String arg : args) {
            String trimmed = arg.strip();
            if (trimmed.startsWith("{")) {
                JsonNode node = readJson(trimmed, "--input " + arg);
                if (!node.isObject()) {
                    throw new IllegalArgumentException("--input must be a JSON object or key=value: " + arg);
                }
                input.setAll((ObjectNode) node);
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--input must be a JSON object or key=value: " + arg);
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            TeamInput decl = byName.get(key);
            boolean text = decl == null || decl.effectiveType() == TeamInput.InputType.STRING;
            input.set(key, text ? TextNode.valueOf(value) : readJson(value, "--input " + key));
        }
        return input;
    }

    private static JsonNode readJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }
}
