package dev.arkonis.ark.gotemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the corpus ({@code src/test/gotemplate/cases.txt}) renders exactly as Go's text/template rendered it
 * (the vectors the build writes with {@code go run} when Go is present, committed for machines without it): the same
 * bytes, or an error of the same class (parse or exec).
 */
class GoConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = Path.of("src/test/gotemplate/cases.txt");
    private static final Path VECTORS = Path.of("src/test/gotemplate/vectors.json");

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesGo() throws IOException {
        JsonNode vectors = vectors();
        JsonNode datasets = vectors.get("datasets");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : vectors.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c, datasets)));
        }
        return tests.stream();
    }

    @Test
    void theVectorsHoldEveryCaseOfTheCorpus() throws IOException {
        long cases = Files.readAllLines(CORPUS).stream().filter(line -> line.startsWith("=== ")).count();
        assertThat(vectors().get("cases").size()).as("cases in the vectors vs. in " + CORPUS
                + " (regenerate with: cd src/test/gotemplate && go run . cases.txt vectors.json)")
                .isEqualTo((int) cases).isGreaterThanOrEqualTo(400);
    }

    private static void check(JsonNode c, JsonNode datasets) throws Exception {
        String source = c.get("template").asText();
        String dataRef = c.get("data").asText();
        Object data = JsonValues.decode(dataRef.startsWith("@") ? datasets.get(dataRef.substring(1)).asText() : dataRef);
        String expectedError = c.path("error").asText(null);
        String goSays = expectedError == null ? "output " + quote(c.path("output").asText(""))
                : expectedError + " error: " + c.get("message").asText();
        Template template;
        try {
            template = Template.parse(source);
        } catch (TemplateException e) {
            if (!"parse".equals(expectedError)) {
                fail("Java rejected the template at parse (" + e.getMessage() + "); Go: " + goSays);
            }
            return;
        }
        if ("parse".equals(expectedError)) {
            fail("Java parsed a template Go rejects; Go: " + goSays);
        }
        String output;
        try {
            output = template.render(data);
        } catch (TemplateException e) {
            if (!"exec".equals(expectedError)) {
                fail("Java failed at execution (" + e.getMessage() + "); Go: " + goSays);
            }
            return;
        }
        if (expectedError != null) {
            fail("Java rendered " + quote(output) + "; Go: " + goSays);
        }
        assertThat(output).as("template %s", quote(source)).isEqualTo(c.path("output").asText(""));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"") + "\"";
    }

    private static JsonNode vectors() throws IOException {
        return JSON.readTree(VECTORS.toFile());
    }
}
