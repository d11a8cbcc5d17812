package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * {@code validate.semantic}: the judge call's prompt, the one answer shape it must give, and the verdict read from
 * it. The judge is an ordinary task (of the step's role, or {@code validate.judgeRole}), so every transport carries it.
 */
public final class SemanticJudge {
    /** The answer every judge gives, checked like any output schema. */
    public static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"pass\",\"reason\"],"
            + "\"properties\":{\"pass\":{\"type\":\"boolean\"},\"reason\":{\"type\":\"string\"}},"
            + "\"additionalProperties\":false}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A judge's answer: whether the output satisfies the criterion, and why. */
    public record Verdict(boolean pass, String reason) {
    }

    private final JsonSchemas schemas;

    public SemanticJudge(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    static String prompt(String criterion, String output) {
        return "You are checking another model's answer against a criterion.\n\n"
                + "Criterion:\n" + criterion.strip() + "\n\n"
                + "Answer to check:\n" + output + "\n\n"
                + "Does the answer satisfy the criterion? Reply with JSON only: "
                + "{\"pass\": true or false, \"reason\": \"one sentence saying why\"}";
    }

    /** The verdict in the judge's answer, or empty with {@code problems} filled when the answer has another shape. */
    Optional<Verdict> read(String answer, List<String> problems) {
        String json = OutputChecker.extractJson(answer == null ? "" : answer);
        List<String> errors = schemas.validate(VERDICT_SCHEMA, json);
        if (!errors.isEmpty()) {
            problems.addAll(errors);
            return Optional.empty();
        }
        try {
            JsonNode verdict = JSON.readTree(json);
            return Optional.of(new Verdict(verdict.get("pass").asBoolean(), verdict.get("reason").asText()));
        } catch (Exception e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }
}
