package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.TeamInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputResolverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InputResolver resolver = new InputResolver();
    private final List<TeamInput> declared = Teams.spec("""
            inputs:
              - {name: topic, required: true}
              - {name: words, type: integer, default: 300}
              - {name: tone}
              - {name: tags, type: array}
            roles: [{name: r, model: m}]
            pipeline: [{role: r}]
            """).inputList();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void fillsDefaultsAndLeavesOptionalInputsNull() throws Exception {
        assertThat(resolver.resolve(declared, json("{\"topic\": \"k8s\"}")).toString())
                .isEqualTo("{\"topic\":\"k8s\",\"words\":300,\"tone\":null,\"tags\":null}");
    }

    @Test
    void aMissingRequiredInputIsNamed() {
        assertThatThrownBy(() -> resolver.resolve(declared, json("{}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("input \"topic\" is required");
    }

    @Test
    void everyWrongTypeAndUndeclaredInputIsNamed() {
        assertThatThrownBy(() -> resolver.resolve(declared, json("{\"topic\": 3, \"words\": \"many\", \"tags\": \"a\", \"extra\": 1}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).containsExactly(
                        "input \"extra\" is not declared by the team (inputs: topic, words, tone, tags)",
                        "input \"topic\": expected a string, found a number (3)",
                        "input \"words\": expected an integer, found a string (\"many\")",
                        "input \"tags\": expected an array, found a string (\"a\")"));
    }

    @Test
    void theInputMustBeAnObject() {
        assertThatThrownBy(() -> resolver.resolve(declared, json("[1]")))
                .hasMessage("the input must be a JSON object, found array");
    }
}
