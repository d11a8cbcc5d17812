package dev.arkonis.ark.llm.tools;

import dev.arkonis.ark.flow.TaskTools;
import java.util.ArrayList;
import java.util.List;

/** The tools a task's {@link TaskTools} stand for, wired to the transport that answers delegate calls. */
public final class BuiltinTools {
    private BuiltinTools() {
    }

    public static List<Tool> of(TaskTools tools, Delegator delegator) {
        List<Tool> built = new ArrayList<>();
        if (!tools.delegates().isEmpty()) {
            built.add(new DelegateTool(tools.delegates(), delegator));
        }
        if (!tools.route().isEmpty()) {
            built.add(new RouteTool(tools.route()));
        }
        return built;
    }

    /** The tool a model's call names, by name or alias, among a task's built-in tools. */
    public static java.util.Optional<Tool> named(List<Tool> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name) || t.aliases().contains(name)).findFirst();
    }
}
