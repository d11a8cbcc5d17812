package dev.arkonis.ark.llm.tools;

/** Something the model may call: an inline HTTP tool or a tool of an MCP server. */
public interface Tool {
    String name();

    String description();

    /** JSON Schema (an object schema, as a string) of the arguments the model must pass. */
    String parametersSchema();

    /** Runs the tool with the model's arguments and returns the text the model sees. */
    String call(String argumentsJson) throws ToolException;

    /**
     * Whether a call of it is the model's answer: the task ends with the call's arguments as its output, and the tool
     * itself is never run (the router's {@code route}).
     */
    default boolean endsTask() {
        return false;
    }

    /** Other names the model may call it by (names the original's agents used). */
    default java.util.List<String> aliases() {
        return java.util.List.of();
    }

    /** What kind of tool it is in traces and metrics: {@code mcp} or {@code http}. */
    default String kind() {
        return "function";
    }

    /** Where it runs, for traces and metrics: the MCP server's name or the HTTP tool's host. */
    default String server() {
        return "";
    }
}
