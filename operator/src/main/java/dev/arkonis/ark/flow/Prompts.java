package dev.arkonis.ark.flow;

import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.Map;

/** Builds a task's text from a step's input templates: {@code prompt} first, other inputs after it as labelled parts. */
final class Prompts {
    static final String PROMPT = "prompt";

    private Prompts() {
    }

    static String render(Map<String, Template> inputs, Map<String, Object> data) throws TemplateException {
        StringBuilder text = new StringBuilder();
        Template prompt = inputs.get(PROMPT);
        if (prompt != null) {
            text.append(prompt.render(data));
        }
        for (Map.Entry<String, Template> input : inputs.entrySet()) {
            if (!input.getKey().equals(PROMPT)) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(input.getKey()).append(":\n").append(input.getValue().render(data));
            }
        }
        return text.toString();
    }
}
