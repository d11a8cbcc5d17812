package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.StepValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Applies a step's output checks: schema (outputSchema or validate.schema), contains, rejectPatterns. */
public final class OutputChecker {
    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?\\s*\\n(.*?)\\n?```", Pattern.DOTALL);

    private final JsonSchemas schemas;

    public OutputChecker(JsonSchemas schemas) {
        this.schemas = schemas;
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
