package dev.arkonis.ark.llm.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MockProviderTest {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private static CompletionRequest request(String system, String prompt, String schema) {
        return new CompletionRequest("mock", system, prompt, schema, 8000, null);
    }

    @Test
    void withoutSchemaAnswersWithTheStartOfThePrompt() throws LlmException {
        String prompt = "Summarise the history of the printing press in three short paragraphs for a newsletter";

        Completion c = MockProvider.INSTANCE.complete(request("be brief", prompt, null));

        assertThat(c.text()).isEqualTo("mock answer to: " + prompt.substring(0, 60));
    }

    @Test
    void sameInputsGiveTheSameOutput() throws LlmException {
        String schema = """
                {"type":"object","properties":{"title":{"type":"string"},"score":{"type":"number"},
                 "tags":{"type":"array","items":{"type":"string"}}},"required":["title","score","tags"]}""";

        String first = new MockProvider(Duration.ZERO).complete(request("sys", "topic: whales", schema)).text();
        String second = new MockProvider(Duration.ZERO).complete(request("sys", "topic: whales", schema)).text();
        String other = MockProvider.INSTANCE.complete(request("sys", "topic: dolphins", schema)).text();

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void tokensAreDerivedFromTextLength() throws LlmException {
        Completion c = MockProvider.INSTANCE.complete(request("12345", "123", null)); // 8 chars in

        TokenUsage usage = c.usage();
        assertThat(usage.inputTokens()).isEqualTo(2);
        assertThat(usage.outputTokens()).isEqualTo((c.text().length() + 3) / 4);
        assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
        assertThat(c.calls()).hasSize(1);
    }

    @Test
    void emptyPromptStillCostsAToken() throws LlmException {
        assertThat(MockProvider.INSTANCE.complete(request(null, "", null)).usage().inputTokens()).isEqualTo(1);
    }

    @Test
    void failMarkerFailsPermanently() {
        assertThatThrownBy(() -> MockProvider.INSTANCE.complete(request(null, "please [mock:fail] now", null)))
                .isInstanceOf(LlmException.class)
                .hasMessage("mock: failure requested by the prompt")
                .satisfies(e -> assertThat(((LlmException) e).isPermanent()).isTrue());
    }

    @Test
    void invalidMarkerAnswersWithTextThatIsNotJsonDespiteASchema() throws LlmException {
        String schema = "{\"type\":\"object\",\"required\":[\"a\"]}";

        String text = MockProvider.INSTANCE.complete(request(null, "give json [mock:invalid]", schema)).text();

        assertThat(errors(schema, text)).isNotEmpty();
        assertThat(text).startsWith("mock answer to:");
    }

    @Test
    void latencyDelaysTheAnswer() throws LlmException {
        long start = System.nanoTime();
        new MockProvider(Duration.ofMillis(150)).complete(request(null, "hello", null));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void schemaThatIsNotJsonFailsPermanently() {
        assertThatThrownBy(() -> MockProvider.INSTANCE.complete(request(null, "x", "{not json")))
                .isInstanceOf(LlmException.class)
                .hasMessageStartingWith("mock: output schema is not valid JSON")
                .satisfies(e -> assertThat(((LlmException) e).isPermanent()).isTrue());
    }

    static Stream<String> schemas() {
        return Stream.of(
                "{\"type\":\"string\"}",
                "{\"type\":\"integer\"}",
                "{\"type\":\"number\"}",
                "{\"type\":\"boolean\"}",
                "{\"type\":\"null\"}",
                "{}",
                "true",
                "{\"type\":[\"null\",\"string\"]}",
                "{\"type\":\"string\",\"minLength\":40,\"maxLength\":45}",
                "{\"type\":\"string\",\"maxLength\":3}",
                "{\"type\":\"string\",\"minLength\":1,\"maxLength\":1}",
                "{\"type\":\"string\",\"format\":\"date-time\"}",
                "{\"type\":\"string\",\"format\":\"date\"}",
                "{\"type\":\"string\",\"format\":\"email\"}",
                "{\"type\":\"string\",\"format\":\"uri\"}",
                "{\"type\":\"string\",\"format\":\"uuid\"}",
                "{\"type\":\"string\",\"format\":\"ipv4\"}",
                "{\"type\":\"string\",\"format\":\"hostname\"}",
                "{\"type\":\"integer\",\"minimum\":10,\"maximum\":12}",
                "{\"type\":\"integer\",\"minimum\":1000000}",
                "{\"type\":\"integer\",\"maximum\":-5}",
                "{\"type\":\"integer\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":2}",
                "{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"multipleOf\":7}",
                "{\"type\":\"number\",\"minimum\":0,\"maximum\":1}",
                "{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":0.01}",
                "{\"type\":\"number\",\"minimum\":-3.5}",
                "{\"type\":\"number\",\"maximum\":-3.5}",
                "{\"type\":\"number\",\"multipleOf\":0.25,\"minimum\":1.1}",
                "{\"enum\":[\"red\",\"green\",\"blue\"]}",
                "{\"type\":\"string\",\"enum\":[\"low\",\"high\"]}",
                "{\"const\":{\"fixed\":[1,2]}}",
                "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":5}",
                "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"maxItems\":1}",
                "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":3,\"maxItems\":3}",
                "{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\",\"c\"]},\"minItems\":3,\"uniqueItems\":true}",
                "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}],\"minItems\":2}",
                "{\"type\":\"array\",\"items\":false}",
                """
                {"type":"object","properties":{"title":{"type":"string"},"keyPoints":{"type":"array",
                 "items":{"type":"string","minLength":5},"minItems":3},"confidence":{"type":"number",
                 "minimum":0,"maximum":1}},"required":["title","keyPoints","confidence"],
                 "additionalProperties":false}""",
                "{\"type\":\"object\",\"required\":[\"a\",\"b\"]}",
                "{\"type\":\"object\",\"required\":[\"n\"],\"additionalProperties\":{\"type\":\"integer\"}}",
                "{\"type\":\"object\",\"minProperties\":3}",
                "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}},\"minProperties\":1,"
                        + "\"additionalProperties\":false}",
                """
                {"type":"object","properties":{"id":{"anyOf":[{"type":"integer","minimum":1},{"type":"string"}]},
                 "kind":{"oneOf":[{"const":"a"},{"const":"b"}]}},"required":["id","kind"]}""",
                "{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"object\",\"required\":[\"v\"]}]}",
                """
                {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                 {"properties":{"b":{"type":"integer","minimum":5}},"required":["b"]},
                 {"properties":{"b":{"maximum":6}}}]}""",
                """
                {"$defs":{"person":{"type":"object","properties":{"name":{"type":"string"},
                 "email":{"type":"string","format":"email"}},"required":["name","email"]}},
                 "type":"object","properties":{"author":{"$ref":"#/$defs/person"},
                 "reviewers":{"type":"array","items":{"$ref":"#/$defs/person"},"minItems":2}},
                 "required":["author","reviewers"]}""",
                """
                {"definitions":{"when":{"type":"string","format":"date-time"}},
                 "type":"object","properties":{"at":{"$ref":"#/definitions/when"}},"required":["at"]}""",
                """
                {"$defs":{"node":{"type":"object","properties":{"value":{"type":"integer"},
                 "children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["value"]}},
                 "$ref":"#/$defs/node"}""",
                """
                {"type":"object","properties":{"steps":{"type":"array","items":{"type":"object",
                 "properties":{"name":{"type":"string","maxLength":20},"done":{"type":"boolean"},
                 "url":{"type":"string","format":"uri"}},"required":["name","done","url"],
                 "additionalProperties":false}}},"required":["steps"]}""");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void outputSatisfiesTheSchema(String schema) throws LlmException {
        for (String prompt : List.of("first prompt", "second prompt", "a third, longer prompt")) {
            String text = MockProvider.INSTANCE.complete(request("system", prompt, schema)).text();
            assertThat(errors(schema, text)).as("output %s for schema %s", text, schema).isEmpty();
        }
    }

    private static List<Error> errors(String schema, String json) {
        Schema s = SCHEMAS.getSchema(schema, InputFormat.JSON);
        try {
            return s.validate(json, InputFormat.JSON);
        } catch (RuntimeException notJson) {
            return List.of(Error.builder().message(notJson.getMessage()).build());
        }
    }

    @Test
    void aJudgeCallPassesUnlessTheJudgeFailMarkerIsInItsPrompt() throws LlmException {
        String verdict = dev.arkonis.ark.flow.SemanticJudge.VERDICT_SCHEMA;
        assertThat(MockProvider.INSTANCE.complete(request(null, "Criterion: short. Answer: hi", verdict)).text())
                .isEqualTo("{\"pass\":true,\"reason\":\"mock judge: the answer satisfies the criterion\"}");
        assertThat(MockProvider.INSTANCE.complete(request(null, "Criterion: short [mock:judge-fail]", verdict)).text())
                .isEqualTo("{\"pass\":false,\"reason\":\"mock judge: failure requested by [mock:judge-fail]\"}");
    }
}
