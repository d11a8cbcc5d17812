package dev.arkonis.ark.cli;

import dev.arkonis.ark.local.DryRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dry run for people (each step's prompt, in the order a run reaches them) and for programs (one document). */
final class DryRunReport {
    private DryRunReport() {
    }

    static String text(String team, DryRun.Result result, boolean given) {
        StringBuilder text = new StringBuilder("dry run of team ").append(team).append(": ").append(result.steps().size())
                .append(" step(s); no model is called, upstream outputs come from ")
                .append(given ? "--outputs and the mock provider" : "the mock provider").append('\n');
        int n = 0;
        for (DryRun.StepPreview step : result.steps()) {
            text.append('\n').append("── ").append(++n).append(". ").append(step.name());
            if (step.role() == null) {
                text.append(" (approval)");
            } else if (!step.name().equals(step.role())) {
                text.append(" (role ").append(step.role()).append(')');
            }
            if (!step.dependsOn().isEmpty()) {
                text.append(" after ").append(String.join(", ", step.dependsOn()));
            }
            text.append(" ──\n");
            if (step.condition() != null) {
                text.append("if: ").append(step.condition()).append(" → ")
                        .append(step.conditionResult() == null ? "not evaluated" : step.conditionResult() ? "true" : "false, Skipped")
                        .append('\n');
            }
            if (step.prompt() != null && step.systemPrompt() != null && !step.systemPrompt().isBlank()) {
                text.append("system prompt:\n").append(indent(step.systemPrompt())).append('\n');
            }
            if (step.prompt() != null) {
                text.append(step.role() == null ? "asks:\n" : "prompt:\n").append(indent(step.prompt())).append('\n');
            } else if (step.message() != null && (step.conditionResult() == null || step.conditionResult())) {
                text.append(step.phase()).append(": ").append(step.message()).append('\n');
            }
            if (step.output() != null) {
                text.append("output (").append(step.outputSource()).append("): ")
                        .append(StepLines.preview(step.output(), 200)).append('\n');
            }
        }
        text.append('\n');
        if (result.message() != null) {
            text.append("the run would fail: ").append(result.message()).append('\n');
        } else if (result.output() != null) {
            text.append("run output:\n").append(indent(result.output())).append('\n');
        }
        return text.toString();
    }

    static Map<String, Object> document(String team, DryRun.Result result, boolean given) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("team", team);
        doc.put("dryRun", true);
        doc.put("outputsFrom", given ? "outputs file, then mock" : "mock");
        doc.put("steps", result.steps().stream().map(DryRunReport::step).toList());
        doc.put("output", result.output());
        doc.put("message", result.message());
        return doc;
    }

    private static Map<String, Object> step(DryRun.StepPreview step) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", step.name());
        doc.put("role", step.role());
        doc.put("dependsOn", step.dependsOn());
        if (step.condition() != null) {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("template", step.condition());
            condition.put("result", step.conditionResult());
            doc.put("if", condition);
        }
        doc.put("phase", step.phase().name());
        doc.put("systemPrompt", step.systemPrompt());
        doc.put("prompt", step.prompt());
        doc.put("outputSchema", step.outputSchema());
        doc.put("output", step.output());
        doc.put("outputSource", step.outputSource());
        doc.put("message", step.message());
        return doc;
    }

    private static String indent(String text) {
        return String.join("\n", text.lines().map(l -> "  " + l).toList());
    }
}
