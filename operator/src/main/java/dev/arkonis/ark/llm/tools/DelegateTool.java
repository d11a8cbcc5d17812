package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.flow.TaskTools;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in {@code delegate} tool (also answering to the original's {@code submit_subtask}): hands a task to one of
 * the roles its role may delegate to and returns that role's answer. One instance per execution of a task: it numbers
 * the calls, so a call repeated after a takeover is recognised.
 */
public final class DelegateTool implements Tool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> roles;
    private final Delegator delegator;
    private final AtomicInteger calls = new AtomicInteger();

    public DelegateTool(List<String> roles, Delegator delegator) {
        this.roles = List.copyOf(roles);
        this.delegator = delegator;
    }

    @Override
    public String name() {
        return TaskTools.DELEGATE;
    }

    @Override
    public List<String> aliases() {
        return List.of(TaskTools.DELEGATE_ALIAS);
    }

    @Override
    public String description() {
        return "Hand a task to another role of your team and wait for its answer, which is this tool's result. "
                + "Roles you may delegate to: " + String.join(", ", roles) + ".";
    }

    @Override
    public String parametersSchema() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode role = properties.putObject("role").put("type", "string")
                .put("description", "The role that should do the task.");
        ArrayNode values = role.putArray("enum");
        roles.forEach(values::add);
        properties.putObject("task").put("type", "string")
                .put("description", "What the role should do, with everything it needs to know.");
        schema.putArray("required").add("role").add("task");
        return schema.toString();
    }

    @Override
    public String call(String argumentsJson) throws ToolException {
        JsonNode args;
        try {
            args = JSON.readTree(argumentsJson);
        } catch (Exception e) {
            throw new ToolException("delegate: the arguments are not a JSON object");
        }
        String role = text(args, "role", "target", "agent");
        if (role == null && roles.size() == 1) {
            role = roles.get(0); // the original's submit_subtask named no role
        }
        String task = text(args, "task", "prompt", "message");
        return delegator.delegate(calls.incrementAndGet(), role, task);
    }

    @Override
    public String kind() {
        return "builtin";
    }

    private static String text(JsonNode args, String... names) {
        for (String name : names) {
            JsonNode value = args.path(name);
            if (value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }
}
