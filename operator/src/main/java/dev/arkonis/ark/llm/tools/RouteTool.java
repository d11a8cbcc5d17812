package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.flow.TaskTools;
import java.util.List;

/** The router's one answer: the capability (one of those offered, with their descriptions) and a reason. */
public final class RouteTool implements Tool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Capability> capabilities;

    public RouteTool(List<Capability> capabilities) {
        this.capabilities = List.copyOf(capabilities);
    }

    public List<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public String name() {
        return TaskTools.ROUTE;
    }

    @Override
    public String description() {
        return "Send the task to the agent that has this capability.";
    }

    @Override
    public String parametersSchema() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        StringBuilder described = new StringBuilder("The capability that fits the task best. ");
        for (Capability c : capabilities) {
            described.append(c.id());
            if (c.description() != null && !c.description().isBlank()) {
                described.append(": ").append(c.description().strip().replaceAll("\\s+", " "));
            }
            described.append(". ");
        }
        ObjectNode capability = properties.putObject("capability").put("type", "string")
                .put("description", described.toString().strip());
        ArrayNode values = capability.putArray("enum");
        capabilities.forEach(c -> values.add(c.id()));
        properties.putObject("reason").put("type", "string").put("description", "One sentence saying why.");
        schema.putArray("required").add("capability").add("reason");
        return schema.toString();
    }

    @Override
    public boolean endsTask() {
        return true;
    }

    @Override
    public String call(String argumentsJson) {
        return argumentsJson;
    }

    @Override
    public String kind() {
        return "builtin";
    }
}
