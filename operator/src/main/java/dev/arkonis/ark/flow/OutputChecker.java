package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.StepValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a step's output checks: schema (outputSchema or validate.schema), contains, rejectPatterns; and, once they
 * pass, says whether the output still goes to a judge ({@code validate.semantic}).
 */
public final class OutputChecker {
    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?\\s*\\n(.*?)\\n?```", Pattern.DOTALL);

    private final JsonSchemas schemas;
    private final SemanticJudge judge;

    public OutputChecker(JsonSchemas schemas) {
        this.schemas = schemas;
        this.judge = new SemanticJudge(schemas);
    }

    /** The criterion a judge checks the step's output against, if the step has one. */
    static Optional<String> semanticCriterion(PipelineStep step) {
        StepValidation validate = step.validate();
        return validate == null || validate.semantic() == null || validate.semantic().isBlank() ? Optional.empty()
                : Optional.of(validate.semantic());
    }

    SemanticJudge judge() {
        return judge;
    }

    public OutputCheck check(PipelineStep step, String rawOutput) {
        String output = rawOutput == null ? "" : rawOutput;
        List<String> errors = new ArrayList<>();
        String schema = step.effectiveSchema();
        if (schema != null) {
            output = extractJson(output);
            errors.addAll(schemas.validate(schema, output));
        }
        StepValidation validate = step.validate();
        if (validate != null) {
            if (validate.contains() != null && !Pattern.compile(validate.contains()).matcher(output).find()) {
                errors.add("output does not contain a match of /" + validate.contains() + "/");
            }
            if (validate.rejectPatterns() != null) {
                for (String rejected : validate.rejectPatterns()) {
                    if (Pattern.compile(rejected).matcher(output).find()) {
                        errors.add("output matches the rejected pattern /" + rejected + "/");
                    }
                }
            }
        }
        return new OutputCheck(output, errors);
    }

    /** Models often wrap JSON in a fenced block or add a sentence around it; keep only the JSON. */
    static String extractJson(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return trimmed;
        }
        Matcher fence = FENCE.matcher(trimmed);
        if (fence.find()) {
            return fence.group(1).strip();
        }
        int object = trimmed.indexOf('{');
        int end = trimmed.lastIndexOf('}');
        if (object >= 0 && end > object) {
            return trimmed.substring(object, end + 1);
        }
        return trimmed;
    }
}
