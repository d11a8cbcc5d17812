package dev.arkonis.ark.flow.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
    private static final Map<String, Object> DATA = data();

    private static Map<String, Object> data() {
        Map<String, Object> research = new LinkedHashMap<>();
        research.put("output", "{\"keyPoints\":[\"a\",\"b\"]}");
        research.put("data", Map.of("keyPoints", List.of("a", "b"), "score", 7, "nested", Map.of("x", 1.5)));
        research.put("phase", "Succeeded");
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("topic", "otters");
        input.put("detailed", true);
        input.put("words", 300);
        input.put("ratio", 2.0);
        input.put("tone", null);
        input.put("empty", "");
        input.put("tags", List.of("x", "y", "z"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("b", 2);
        meta.put("a", 1);
        input.put("meta", meta);
        input.put("padded", "  hi  ");
        return Map.of("input", input, "steps", Map.of("research", research));
    }

    private static String render(String source) throws TemplateException {
        return Template.parse(source).render(DATA);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', textBlock = """
            plain text ==> plain text
            {{ .input.topic }} ==> otters
            {{.input.topic}}! ==> otters!
            {{ .input.words }} ==> 300
            {{ .input.ratio }} ==> 2
            {{ .input.detailed }} ==> true
            [{{ .input.tone }}] ==> []
            {{ .input.tags }} ==> ["x","y","z"]
            {{ .steps.research.data.keyPoints }} ==> ["a","b"]
            {{ .steps.research.data.nested.x }} ==> 1.5
            {{ $.input.topic }} ==> otters
            {{ "a \\"quoted\\" \\u0041" }} ==> a "quoted" A
            {{ `raw \\n` }} ==> raw \\n
            {{ 42 }} {{ -3 }} {{ 2.50 }} {{ true }} [{{ nil }}] ==> 42 -3 2.5 true []
            {{ .input.topic | upper }} ==> OTTERS
            {{ upper .input.topic }} ==> OTTERS
            {{ .input.topic | printf "%s!" | upper }} ==> OTTERS!
            {{ lower "ABC" }} {{ trim .input.padded }}| ==> abc hi|
            {{ .input.tone | default "neutral" }} ==> neutral
            {{ .input.empty | default "neutral" }} ==> neutral
            {{ .input.topic | default "neutral" }} ==> otters
            {{ default "x" }} ==> x
            {{ printf "%d words, %.1f ratio, %v, %q, %t, %x, 100%%" .input.words .input.ratio .input.tags .input.topic true 255 }} ==> 300 words, 2.0 ratio, ["x","y","z"], "otters", true, ff, 100%
            {{ printf "%5s|%-5s|%03d" "ab" "cd" 7 }} ==> '   ab|cd   |007'
            {{ printf "%s" }} ==> %!s(MISSING)
            {{ printf "%s" 1 2 }} ==> 1%!(EXTRA 2)
            {{ int "42" }} {{ int 3.9 }} {{ int "2.5" }} {{ int true }} ==> 42 3 2 1
            {{ toJson .input.meta }} ==> {"b":2,"a":1}
            {{ toJson "a\\"b" }} ==> "a\\"b"
            {{ index .input.tags 1 }} ==> y
            {{ index .input.meta "a" }} ==> 1
            {{ index .steps "research" "data" "score" }} ==> 7
            {{ len .input.tags }} {{ len .input.topic }} {{ len .input.meta }} ==> 3 6 2
            {{ eq .input.words 300 }} {{ eq .input.words 300.0 }} {{ eq .input.topic "a" "otters" }} ==> true true true
            {{ ne .input.topic "otters" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2 }} {{ ge "b" "a" }} ==> false true true false true
            {{ and 1 "x" }} {{ and 1 0 2 }} {{ or 0 "" "z" }} [{{ or 0 "" }}] {{ not .input.empty }} ==> x 0 z [] true
            {{ print "a" 1 2 "b" }} ==> a1 2b
            {{ (printf "%s-%s" .input.topic "x") | upper }} ==> OTTERS-X
            {{ len (index .steps.research.data "keyPoints") }} ==> 2
            """)
    void rendersValuesPipelinesAndFunctions(String source, String expected) throws TemplateException {
        assertThat(render(source)).isEqualTo(expected.replace("'", ""));
    }

    @Test
    void ifElseIfElse() throws TemplateException {
        String source = "{{ if eq .input.words 100 }}short{{ else if gt .input.words 200 }}long{{ else }}medium{{ end }}";
        assertThat(render(source)).isEqualTo("long");
        assertThat(render("{{ if .input.empty }}yes{{ else }}no{{ end }}")).isEqualTo("no");
        assertThat(render("{{ if .input.detailed }}yes{{ end }}")).isEqualTo("yes");
        assertThat(render("{{ if and .input.detailed (not .input.empty) }}both{{ end }}")).isEqualTo("both");
    }

    @Test
    void rangeOverListsMapsAndNumbersWithVariablesAndElse() throws TemplateException {
        assertThat(render("{{ range .input.tags }}[{{ . }}]{{ end }}")).isEqualTo("[x][y][z]");
        assertThat(render("{{ range $i, $t := .input.tags }}{{ $i }}={{ $t }} {{ end }}")).isEqualTo("0=x 1=y 2=z ");
        assertThat(render("{{ range $t := .input.tags }}{{ $t }}{{ end }}")).isEqualTo("xyz");
        assertThat(render("{{ range $k, $v := .input.meta }}{{ $k }}:{{ $v }};{{ end }}")).as("sorted keys")
                .isEqualTo("a:1;b:2;");
        assertThat(render("{{ range .input.none }}x{{ else }}nothing{{ end }}".replace(".input.none", "$.input.tone")))
                .isEqualTo("nothing");
        assertThat(render("{{ range 3 }}{{ . }}{{ end }}")).isEqualTo("012");
        assertThat(render("{{ range .input.tags }}{{ $.input.topic }}{{ end }}")).isEqualTo("ottersottersotters");
    }

    @Test
    void withChangesTheDotAndVariablesFollowBlocks() throws TemplateException {
        assertThat(render("{{ with .steps.research.data }}{{ .score }}{{ end }}")).isEqualTo("7");
        assertThat(render("{{ with .input.empty }}x{{ else }}empty{{ end }}")).isEqualTo("empty");
        assertThat(render("{{ $t := .input.topic }}{{ $t | upper }}")).isEqualTo("OTTERS");
        assertThat(render("{{ $n := 1 }}{{ if true }}{{ $n = 2 }}{{ end }}{{ $n }}")).isEqualTo("2");
    }

    @Test
    void trimMarkersEatWhitespaceAndCommentsPrintNothing() throws TemplateException {
        assertThat(render("a  \n {{- .input.topic -}} \n  b")).isEqualTo("aottersb");
        assertThat(render("a {{/* a comment */}} b")).isEqualTo("a  b");
        assertThat(render("a {{- /* gone */ -}} b")).isEqualTo("ab");
        assertThat(render("{{ range .input.tags -}}\n  {{ . }}\n{{- end }}")).isEqualTo("xyz");
    }

    @Test
    void aRealisticPipelinePrompt() throws TemplateException {
        String source = "Write about {{ .input.topic }}.{{ if .input.detailed }} Be detailed.{{ end }}\n"
                + "{{ range $i, $p := .steps.research.data.keyPoints }}{{ $i }}: {{ $p }}\n{{ end }}";
        assertThat(render(source)).isEqualTo("Write about otters. Be detailed.\n0: a\n1: b\n");
    }

    @Test
    void aMissingKeyIsAnErrorNamingThePath() {
        assertThatThrownBy(() -> render("x {{ .input.tone2 }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template: executing \"{{ .input.tone2 }}\" at line 1, col 3: .input.tone2: map has no entry for key \"tone2\"");
        assertThatThrownBy(() -> render("{{ .steps.writer.output }}"))
                .hasMessageContaining(".steps.writer: map has no entry for key \"writer\"");
        assertThatThrownBy(() -> render("{{ .input.topic.length }}"))
                .hasMessageContaining(".input.topic: can't read field \"length\" of string");
        assertThatThrownBy(() -> render("{{ .input.tone.x }}"))
                .hasMessageContaining("can't read field \"x\" of nil");
        assertThatThrownBy(() -> render("line1\n  {{ index .input.tags 5 }}"))
                .hasMessageContaining("at line 2, col 3: index: index out of range: 5");
        assertThatThrownBy(() -> render("{{ index .input.meta \"zz\" }}"))
                .hasMessageContaining("index: map has no entry for key \"zz\"");
        assertThatThrownBy(() -> render("{{ $nope }}")).hasMessageContaining("undefined variable: $nope");
        assertThatThrownBy(() -> render("{{ range .input.topic }}{{ end }}")).hasMessageContaining("range can't iterate over string");
        assertThatThrownBy(() -> render("{{ lt 1 \"a\" }}")).hasMessageContaining("incompatible types for comparison");
        assertThatThrownBy(() -> render("{{ int \"abc\" }}")).hasMessageContaining("int: \"abc\" is not a number");
        assertThatThrownBy(() -> render("{{ len 3 }}")).hasMessageContaining("len of number");
        assertThatThrownBy(() -> render("{{ .input.topic 3 }}")).hasMessageContaining("can't give argument to non-function");
    }

    @Test
    void wrongArityIsAnError() {
        assertThatThrownBy(() -> render("{{ upper }}")).hasMessageContaining("wrong number of args for upper: want 1 got 0");
        assertThatThrownBy(() -> render("{{ not 1 2 }}")).hasMessageContaining("wrong number of args for not: want 1 got 2");
        assertThatThrownBy(() -> render("{{ eq 1 }}")).hasMessageContaining("want at least 2 got 1");
        assertThatThrownBy(() -> render("{{ default }}")).hasMessageContaining("want 1 to 2 got 0");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', textBlock = """
            {{ .input.topic ==> template: unclosed action at line 1, col 1
            a {{ \"abc }} ==> template: unterminated quoted string at line 1, col 3
            {{ `abc }} ==> template: unterminated raw quoted string at line 1, col 1
            {{ end }} ==> template: unexpected {{end}} at line 1, col 1
            {{ else }} ==> template: unexpected {{else}} at line 1, col 1
            {{ if .x }}a ==> template: unexpected EOF: {{if}} at line 1, col 1 has no {{end}}
            x\\n{{ range .x }}a ==> has no {{end}}
            {{ shout .x }} ==> template: function \"shout\" not defined at line 1, col 1
            {{ }} ==> template: missing value for command at line 1, col 1
            {{ (upper .x }} ==> template: unclosed left paren
            {{ .x | }} ==> template: missing value for command
            {{ 1x }} ==> template: bad number syntax
            {{ @ }} ==> unexpected \"@\"
            {{/* never closed }} ==> template: unclosed comment at line 1, col 1
            {{ if .a }}{{ else if }}{{ end }} ==> missing value for command
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
                + "{{ with .steps.other }}{{ .inner }}{{ end }}{{ .input.topic | upper }}{{ printf \"%s\" (index $.steps \"x\") }}");
        assertThat(t.rootFieldChains()).containsExactly(
                List.of("input", "topic"), List.of("input", "detailed"), List.of("steps", "research", "data", "keyPoints"),
                List.of("input", "tags"), List.of("input", "words"), List.of("steps", "other"), List.of("steps"));
    }

    @Test
    void goTruthiness() {
        for (Object falsy : Arrays.asList(null, false, 0, 0L, 0.0, "", List.of(), Map.of())) {
            assertThat(Template.isTruthy(falsy)).as(String.valueOf(falsy)).isFalse();
        }
        for (Object truthy : Arrays.asList(true, 1, -1L, 0.5, "x", List.of(1), Map.of("a", 1))) {
            assertThat(Template.isTruthy(truthy)).as(String.valueOf(truthy)).isTrue();
        }
        assertThat(Template.functionNames()).contains("default", "printf", "int", "toJson", "upper", "lower", "trim",
                "index", "eq", "ne", "lt", "gt", "and", "or", "not", "len");
    }
}
