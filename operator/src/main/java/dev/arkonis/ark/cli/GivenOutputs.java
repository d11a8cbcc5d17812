package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ApprovalVerdict;
import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalState;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --outputs file.json}: {@code {"step": "text"}} or {@code {"step": {...json...}}} (a JSON value stands for a
 * step that answered that JSON), or the {@code -o json} document of an earlier {@code ark run}, whose steps keep their
 * phases (what {@code --from} reuses).
 */
final class GivenOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An earlier run as the file gives it: its name, and its steps (each succeeded, in the plain form). */
    record EarlierRun(String run, List<StepState> steps) {
        /** The outputs of its steps that succeeded, by name. */
        Map<String, String> outputs() {
            Map<String, String> outputs = new LinkedHashMap<>();
            steps.stream().filter(s -> s.phase() == StepPhase.Succeeded).forEach(s -> outputs.put(s.name(), s.output()));
            return outputs;
        }
    }

    private GivenOutputs() {
    }

    static Map<String, String> read(Path file, Pipeline pipeline) {
        return earlierRun(file, pipeline).outputs();
    }

    static EarlierRun earlierRun(Path file, Pipeline pipeline) {
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--outputs " + file + ": " + (e instanceof java.io.FileNotFoundException
                    ? "no such file" : "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("--outputs " + file + ": expected a JSON object of outputs by step name");
        }
        if (doc.path("steps").isArray() && doc.has("phase")) {
            return runDocument(file, doc, pipeline);
        }
        List<StepState> steps = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            known(file, e.getKey(), pipeline);
            String output = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            steps.add(new StepState(e.getKey(), null, StepPhase.Succeeded, null, 0, 0, null, null, null, output, null,
                    TokenUsage.ZERO));
        }
        return new EarlierRun(file.getFileName().toString().replaceFirst("\\.json$", ""), steps);
    }

    /** The {@code -o json} of {@code ark run}: every step with its phase, output, skip reason and approval. */
    private static EarlierRun runDocument(Path file, JsonNode doc, Pipeline pipeline) {
        List<StepState> steps = new ArrayList<>();
        for (JsonNode step : doc.path("steps")) {
            String name = step.path("name").asText();
            known(file, name, pipeline);
            StepPhase phase;
            try {
                phase = StepPhase.valueOf(step.path("phase").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--outputs " + file + ": step " + name + " has no phase ark knows ("
                        + step.path("phase").asText() + ")");
            }
            SkipReason skipReason = skipReason(step, phase);
            steps.add(new StepState(name, step.path("role").asText(null), phase, null, 0, 0, null, null, null,
                    step.path("output").isNull() ? null : step.path("output").asText(null), null, TokenUsage.ZERO,
                    skipReason, List.of(), step.path("iterations").asInt(0), null, approval(step.path("approval")), null));
        }
        return new EarlierRun(doc.path("run").asText(file.getFileName().toString()), steps);
    }

    private static SkipReason skipReason(JsonNode step, StepPhase phase) {
        if (phase != StepPhase.Skipped) {
            return null;
        }
        if (step.hasNonNull("skipReason")) {
            try {
                return SkipReason.valueOf(step.path("skipReason").asText());
            } catch (IllegalArgumentException e) {
                return SkipReason.RunFailed;
            }
        }
        return step.path("message").asText("").startsWith(PipelineRun.SKIPPED_BY_CONDITION)
                ? SkipReason.ConditionFalse : SkipReason.RunFailed;
    }

    private static ApprovalState approval(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        ApprovalVerdict verdict = node.hasNonNull("verdict") ? ApprovalVerdict.valueOf(node.path("verdict").asText()) : null;
        Instant at = node.hasNonNull("decidedAt") ? Instant.parse(node.path("decidedAt").asText()) : null;
        return new ApprovalState(node.path("message").asText(null), verdict, node.path("decidedBy").asText(null), at,
                node.path("comment").asText(null), node.path("timedOut").asBoolean(false));
    }

    private static void known(Path file, String step, Pipeline pipeline) {
        if (pipeline.step(step) == null) {
            throw new IllegalArgumentException("--outputs " + file + ": no step \"" + step + "\" in the pipeline (steps: "
                    + String.join(", ", pipeline.steps().stream().map(s -> s.name()).toList()) + ")");
        }
    }
}
