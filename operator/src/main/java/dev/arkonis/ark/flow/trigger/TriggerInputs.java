package dev.arkonis.ark.flow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.api.TriggerTarget;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a target's input templates over {@code .trigger}. Templates give text; an input the team declares as a
 * number, boolean, object or array gets the text read as JSON, so {@code "{{ .trigger.body.count }}"} feeds an integer.
 */
public final class TriggerInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerInputs() {
    }

    /**
     * @param trigger what {@code .trigger} holds
     * @param team    the target team's spec, to type the values; null when it is not known
     * @throws TemplateException naming the input whose template failed
     */
    public static ObjectNode render(TriggerTarget target, Map<String, Object> trigger, ArkTeamSpec team)
            throws TemplateException {
        Map<String, TeamInput> declared = new HashMap<>();
        if (team != null) {
            team.inputList().forEach(i -> declared.put(i.name(), i));
        }
        Map<String, Object> data = Map.of("trigger", trigger);
        ObjectNode input = JSON.createObjectNode();
        for (Map.Entry<String, String> entry : target.inputTemplates().entrySet()) {
            String text;
            try {
                text = Template.parse(entry.getValue()).render(data);
            } catch (TemplateException e) {
                throw new TemplateException("input." + entry.getKey() + ": " + e.getMessage());
            }
            input.set(entry.getKey(), typed(text, declared.get(entry.getKey())));
        }
        return input;
    }

    private static JsonNode typed(String text, TeamInput input) {
        if (input == null || input.effectiveType() == TeamInput.InputType.STRING) {
            return JSON.getNodeFactory().textNode(text);
        }
        try {
            JsonNode value = JSON.readTree(text.strip());
            return value == null || value.isMissingNode() ? JSON.getNodeFactory().textNode(text) : value;
        } catch (Exception e) {
            // left as text: the run then fails naming the input and its type, which says more than we could here
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
