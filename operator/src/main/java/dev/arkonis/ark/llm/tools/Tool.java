package dev.arkonis.ark.llm.tools;

/** Something the model may call: an inline HTTP tool or a tool of an MCP server. */
public interface Tool {
    String name();

    String description();

    /** JSON Schema (an object schema, as a string) of the arguments the model must pass. */
    String parametersSchema();

    /** Runs the tool with the model's arguments and returns the text the model sees. */
    String call(String argumentsJson) throws ToolException;
}
