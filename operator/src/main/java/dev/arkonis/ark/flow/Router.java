package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.Routing;
import dev.arkonis.ark.api.TeamRole;
import java.util.List;
import java.util.Optional;

/**
 * Routed mode's router: a role of its own ({@value #ROLE}, model {@code routing.model}) whose one call per run is
 * offered the {@code route} tool over the registry's capabilities; its answer is the call's arguments.
 */
public final class Router {
    /** The router's role name: its agent is {@code <team>-router}, its queue {@code <namespace>.<team>.router}. */
    public static final String ROLE = "router";
    /** The name of a routed run's one step. */
    public static final String STEP = "route";
    /** Suffix of the router call's task id, after the step's own task id. */
    public static final String TASK_SUFFIX = "/router";
    static final String SYSTEM_PROMPT = "You route tasks. Read the task and choose the one capability whose agent "
            + "should do it, then call the route tool once with that capability's id and a one-sentence reason. If no "
            + "capability fits, do not call the tool: say why in one sentence.";
    /** Router calls are short: a small answer, a short time. */
    static final AgentLimits LIMITS = new AgentLimits(1000, 5, 60, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Router() {
    }

    /** A routed team's router role. */
    public static TeamRole role(Routing routing) {
        return new TeamRole(ROLE, routing.model(), routing.provider(), SYSTEM_PROMPT, null, null, null, null, 1, null, LIMITS, null, null,
                null, null, null, null);
    }

    static String prompt(String task, List<Capability> capabilities) {
        StringBuilder text = new StringBuilder("Task:\n").append(task.strip()).append("\n\nCapabilities:\n");
        for (Capability c : capabilities) {
            text.append("- ").append(c.id());
            if (c.description() != null && !c.description().isBlank()) {
                text.append(": ").append(c.description().strip().replaceAll("\\s+", " "));
            }
            if (!c.tagList().isEmpty()) {
                text.append(" (tags: ").append(String.join(", ", c.tagList())).append(')');
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The router's choice: a capability id and its reason. */
    record Choice(String capability, String reason) {
    }

    /** The choice in the router's answer (the route tool's arguments), or empty when it made none. */
    static Optional<Choice> read(String answer) {
        String json = OutputChecker.extractJson(answer == null ? "" : answer);
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.path("capability").isTextual() || node.path("capability").asText().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Choice(node.get("capability").asText().strip(), node.path("reason").asText("")));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
