package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.TeamInput;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task text of a run of a dynamic or routed team: the value of the team's first string input ({@code task} when
 * it declares none), then every other input as a labelled part, as a step's other inputs follow its prompt.
 */
public final class EntryTask {
    /** The input that holds the task of a team declaring no inputs. */
    public static final String TASK_INPUT = "task";

    private EntryTask() {
    }

    /** The input that holds the task text: the first declared string input, or {@value #TASK_INPUT} when none is declared. */
    public static Optional<String> inputKey(List<TeamInput> declared) {
        if (declared.isEmpty()) {
            return Optional.of(TASK_INPUT);
        }
        return declared.stream().filter(i -> i.effectiveType() == TeamInput.InputType.STRING).map(TeamInput::name)
                .findFirst();
    }

    public static String text(ObjectNode input, List<TeamInput> declared) {
        String key = inputKey(declared).orElse(null);
        StringBuilder text = new StringBuilder();
        JsonNode task = key == null ? null : input.get(key);
        if (task != null && !task.isNull()) {
            text.append(task.isTextual() ? task.asText() : task.toString());
        }
        for (Map.Entry<String, JsonNode> field : input.properties()) {
            if (field.getKey().equals(key) || field.getValue() == null || field.getValue().isNull()) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            JsonNode value = field.getValue();
            text.append(field.getKey()).append(":\n").append(value.isTextual() ? value.asText() : value.toString());
        }
        return text.toString();
    }
}
