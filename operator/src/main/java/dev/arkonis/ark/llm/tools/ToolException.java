package dev.arkonis.ark.llm.tools;

/** A tool call that failed; the message goes back to the model as the tool's result, so it must hold no secret. */
public class ToolException extends Exception {
    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
