package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.Capability;
import java.util.List;

/**
 * The built-in tools a task's model is offered besides its agent's own: {@code delegate} (hand a task to one of
 * {@code delegates}, a role of the team, and wait for its answer) and {@code route} (the router's one answer: a
 * capability of {@code route}).
 */
public record TaskTools(List<String> delegates, List<Capability> route) {
    public static final TaskTools NONE = new TaskTools(List.of(), List.of());
    /** The built-in delegation tool, and the name the original's agents used for it. */
    public static final String DELEGATE = "delegate";
    public static final String DELEGATE_ALIAS = "submit_subtask";
    public static final String ROUTE = "route";

    public TaskTools {
        delegates = delegates == null ? List.of() : List.copyOf(delegates);
        route = route == null ? List.of() : List.copyOf(route);
    }

    public static TaskTools delegating(List<String> roles) {
        return new TaskTools(roles, List.of());
    }

    public static TaskTools routing(List<Capability> capabilities) {
        return new TaskTools(List.of(), capabilities);
    }

    public boolean isEmpty() {
        return delegates.isEmpty() && route.isEmpty();
    }
}
