package dev.arkonis.ark.flow;

import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A template that reads {@code .steps.x.data} fails when x's output is not JSON; this says that, with the start of
 * the output, instead of the template engine's "map has no entry for key data".
 */
final class StepDataHint {
    private static final int SHOWN = 80;

    private StepDataHint() {
    }

    static String message(Collection<Template> templates, Map<String, Object> finishedSteps, TemplateException e) {
        String original = e.getMessage() == null ? "template failed" : e.getMessage();
        if (!original.contains("data")) {
            return original;
        }
        for (Template template : templates) {
            if (template == null) {
                continue;
            }
            for (List<String> chain : template.rootFieldChains()) {
                if (chain.size() < 3 || !"steps".equals(chain.get(0)) || !"data".equals(chain.get(2))) {
                    continue;
                }
                String step = chain.get(1);
                if (finishedSteps.get(step) instanceof Map<?, ?> data && !data.containsKey("data")) {
                    return "step " + step + "'s output is not JSON, so .steps." + step + ".data has nothing to read ("
                            + describe(data) + ")";
                }
            }
        }
        return original;
    }

    private static String describe(Map<?, ?> step) {
        if ("Skipped".equals(step.get("phase"))) {
            return "the step was skipped";
        }
        String output = String.valueOf(step.get("output")).strip().replaceAll("\\s+", " ");
        if (output.isEmpty()) {
            return "the output is empty";
        }
        return "it begins: \"" + (output.length() <= SHOWN ? output : output.substring(0, SHOWN) + "…") + "\"";
    }
}
