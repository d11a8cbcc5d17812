package dev.arkonis.ark.gotemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's API as the pipeline uses it: values of the Java types the engine is handed, error messages that say
 * what and where, and the chains validation reads. Go's rendering rules themselves are held by {@link
 * GoConformanceTest}.
 */
class TemplateTest {
    private static final Map<String, Object> DATA = data();

    private static Map<String, Object> data() {
        Map<String, Object> research = new LinkedHashMap<>();
        research.put("output", "{\"keyPoints\":[\"a\",\"b\"]}");
        research.put("data", Map.of("keyPoints", List.of("a", "b"), "score", 7.0));
        research.put("phase", "Succeeded");
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("topic", "otters");
        input.put("detailed", true);
        input.put("words", 300); // inputs reach templates as Jackson reads them: whole numbers are Integers
        input.put("ratio", 2.5);
        input.put("tone", null);
        input.put("tags", List.of("x", "y", "z"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("b", 2);
        meta.put("a", 1);
        input.put("meta", meta);
        return Map.of("input", input, "steps", Map.of("research", research));
    }

    private static String render(String source) throws TemplateException {
        return Template.parse(source).render(DATA);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', textBlock = """
            {{ .input.words }} {{ printf "%d" .input.words }} {{ eq .input.words 300 }} {{ gt .input.words 100 }} ==> 300 300 true true
            {{ .input.ratio }} {{ .steps.research.data.score }} {{ printf "%.1f" .input.ratio }} ==> 2.5 7 2.5
            {{ .input.meta }} {{ toJson .input.meta }} ==> map[a:1 b:2] {"a":1,"b":2}
            {{ .input.tags }} {{ toJson .input.tags }} {{ index .input.tags 1 }} ==> [x y z] ["x","y","z"] y
            {{ .input.tone }}|{{ .input.tone | default "neutral" }} ==> <no value>|neutral
            {{ range $k, $v := .input.meta }}{{ $k }}={{ $v }};{{ end }} ==> a=1;b=2;
            {{ len .input.topic }} {{ int .input.ratio }} {{ .input.topic | upper }} ==> 6 2 OTTERS
            """)
    void rendersTheValuesTheEngineIsGiven(String source, String expected) throws TemplateException {
        assertThat(render(source)).isEqualTo(expected);
    }

    @Test
    void aRealisticPipelinePrompt() throws TemplateException {
        String source = "Write about {{ .input.topic }}.{{ if .input.detailed }} Be detailed.{{ end }}\n"
                + "{{ range $i, $p := .steps.research.data.keyPoints }}{{ $i }}: {{ $p }}\n{{ end }}";
        assertThat(render(source)).isEqualTo("Write about otters. Be detailed.\n0: a\n1: b\n");
    }

    @Test
    void executionErrorsNameThePlaceTheNodeAndTheCause() {
        assertThatThrownBy(() -> render("x {{ .input.tone2 }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template: line 1, col 6: executing <.input.tone2>: map has no entry for key \"tone2\"");
        assertThatThrownBy(() -> render("{{ .steps.writer.output }}"))
                .hasMessageContaining("<.steps.writer.output>: map has no entry for key \"writer\"");
        assertThatThrownBy(() -> render("{{ .input.topic.length }}"))
                .hasMessageContaining("can't evaluate field length in type string");
        assertThatThrownBy(() -> render("{{ .input.tone.x }}")).hasMessageContaining("nil data; no entry for key \"x\"");
        assertThatThrownBy(() -> render("line1\n  {{ index .input.tags 5 }}"))
                .hasMessageContaining("line 2, col 6: executing <index>: error calling index: index out of range: 5");
        assertThatThrownBy(() -> render("{{ range .input.topic }}{{ end }}")).hasMessageContaining("range can't iterate over otters");
        assertThatThrownBy(() -> render("{{ lt 1 \"a\" }}")).hasMessageContaining("incompatible types for comparison: int and string");
        assertThatThrownBy(() -> render("{{ int \"abc\" }}")).hasMessageContaining("int: \"abc\" is not a number");
        assertThatThrownBy(() -> render("{{ len 3 }}")).hasMessageContaining("len of type int");
        assertThatThrownBy(() -> render("{{ .input.topic 3 }}")).hasMessageContaining("topic is not a method but has arguments");
        assertThatThrownBy(() -> render("{{ upper }}")).hasMessageContaining("wrong number of args for upper: want 1 got 0");
        assertThatThrownBy(() -> render("{{ upper .input.words }}"))
                .hasMessageContaining("wrong type for value; expected string; got int");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', textBlock = """
            {{ .input.topic ==> template: line 1, col 16: unclosed action
            a {{ \"abc }} ==> template: line 1, col 6: unterminated quoted string
            {{ `abc }} ==> template: line 1, col 4: unterminated raw quoted string
            {{ end }} ==> template: line 1, col 4: unexpected {{end}}
            {{ else }} ==> template: line 1, col 4: unexpected {{else}}
            {{ if .x }}a ==> template: line 1, col 13: unexpected EOF: {{if}} at line 1, col 4 has no {{end}}
            x\\n{{ range .x }}a ==> {{range}} at line 2, col 4 has no {{end}}
            {{ shout .x }} ==> template: line 1, col 4: function \"shout\" not defined
            {{ }} ==> template: line 1, col 4: missing value for command
            {{ (upper .x }} ==> unclosed left paren
            {{ 1x }} ==> bad number syntax: \"1x\"
            {{ @ }} ==> unexpected \"@\" in command
            {{/* never closed }} ==> unclosed comment
            {{ $nope }} ==> undefined variable \"$nope\"
            {{ break }} ==> {{break}} outside {{range}}
            {{ .a-b }} ==> bad character U+002D '-'
            """)
    void syntaxErrorsSayWhatAndWhere(String source, String message) {
        assertThatThrownBy(() -> Template.parse(source.replace("\\n", "\n")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rootFieldChainsListWhatTheTemplateReadsFromTheRoot() throws TemplateException {
        Template t = Template.parse("{{ .input.topic }} {{ if .input.detailed }}{{ .steps.research.data.keyPoints }}{{ end }}"
                + "{{ range .input.tags }}{{ .relative }}{{ $.input.words }}{{ end }}"
                + "{{ with .steps.other }}{{ .inner }}{{ else }}{{ .input.fallback }}{{ end }}{{ .input.topic | upper }}"
                + "{{ printf \"%s\" (index $.steps \"x\") }}{{ define \"t\" }}{{ .inDefinition }}{{ end }}");
        assertThat(t.rootFieldChains()).containsExactly(
                List.of("input", "topic"), List.of("input", "detailed"), List.of("steps", "research", "data", "keyPoints"),
                List.of("input", "tags"), List.of("input", "words"), List.of("steps", "other"),
                List.of("input", "fallback"), List.of("steps"));
    }

    @Test
    void goTruthiness() {
        for (Object falsy : Arrays.asList(null, false, 0, 0L, 0.0, -0.0, "", List.of(), Map.of())) {
            assertThat(Template.isTruthy(falsy)).as(String.valueOf(falsy)).isFalse();
        }
        for (Object truthy : Arrays.asList(true, 1, -1L, 0.5, "x", "false", List.of(1), Map.of("a", 1))) {
            assertThat(Template.isTruthy(truthy)).as(String.valueOf(truthy)).isTrue();
        }
        assertThat(Template.functionNames()).contains("default", "printf", "int", "toJson", "upper", "lower", "trim",
                "index", "slice", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "print", "println",
                "html", "js", "urlquery", "call");
    }
}
