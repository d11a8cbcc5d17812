package dev.arkonis.ark.llm.tools;

import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools an agent may call, the guidance text its MCP servers add to the system prompt, and the
 * connections to close when the agent stops. Tools of a {@link ToolSource} are read at each use, so a server's new
 * tools reach the next model call.
 */
public final class Toolbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("llm");

    private final List<Tool> fixed;
    private final List<ToolSource> sources;
    private final Set<String> reportedDuplicates = ConcurrentHashMap.newKeySet();
    private final String guidance;
    private final List<AutoCloseable> resources;
    private final Telemetry telemetry;

    public Toolbox(List<Tool> tools, String guidance, List<AutoCloseable> resources) {
        this(tools, guidance, resources, Telemetry.none());
    }

    public Toolbox(List<Tool> tools, String guidance, List<AutoCloseable> resources, Telemetry telemetry) {
        this(tools, List.of(), guidance, resources, telemetry);
    }

    /** @param sources tools read afresh at each use, after the fixed ones */
    public Toolbox(List<Tool> tools, List<? extends ToolSource> sources, String guidance, List<AutoCloseable> resources,
            Telemetry telemetry) {
        this.telemetry = telemetry;
        this.fixed = List.copyOf(tools);
        this.sources = List.copyOf(sources);
        this.guidance = guidance == null ? "" : guidance;
        this.resources = List.copyOf(resources);
        byName();
    }

    /** The model calls tools by name, so the first tool of a name wins and later ones would be unreachable. */
    private Map<String, Tool> byName() {
        Map<String, Tool> tools = new LinkedHashMap<>();
        List<Tool> all = new ArrayList<>(fixed);
        sources.forEach(source -> all.addAll(source.tools()));
        for (Tool tool : all) {
            if (tools.putIfAbsent(tool.name(), tool) != null && reportedDuplicates.add(tool.name())) {
                LOG.warn("tool {} is defined more than once; the first definition is used", tool.name());
            }
        }
        return tools;
    }

    public static Toolbox empty() {
        return new Toolbox(List.of(), "", List.of());
    }

    public List<Tool> tools() {
        return List.copyOf(byName().values());
    }

    /** Text to append to the system prompt (MCP servers' guidance); empty when there is none. */
    public String guidance() {
        return guidance;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(byName().get(name));
    }

    /** Calls a tool; every failure becomes the result text, so the model can react to it instead of the task failing. */
    public String call(String name, String argumentsJson) {
        Map<String, Tool> tools = byName();
        Tool tool = tools.get(name);
        if (tool == null) {
            return "error: unknown tool '" + name + "'; available tools: " + String.join(", ", tools.keySet());
        }
        return call(tool, argumentsJson);
    }

    /**
     * Calls a tool, whichever toolbox it belongs to (a task's built-in tools too), traced and with every failure as
     * its result text.
     */
    public String call(Tool tool, String argumentsJson) {
        String name = tool.name();
        try (ToolCall call = ToolCall.start(telemetry, tool.kind(), tool.server(), name)) {
            try {
                return tool.call(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
            } catch (ToolException e) {
                // the span gets no text of the error: it may quote a URL or a response body
                call.failed("tool call failed", "tool_error");
                return "error: " + e.getMessage();
            } catch (RuntimeException e) {
                call.failed("tool call failed", e.getClass().getSimpleName());
                LOG.warn("tool {} failed: {}", name, e.toString());
                return "error: tool " + name + " failed: " + e.getClass().getSimpleName();
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", resource, e.toString());
            }
        }
    }
}
