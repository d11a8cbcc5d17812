package dev.arkonis.ark.llm;

/**
 * A model call that failed; permanent failures (bad key, unknown model, bad request) are not worth retrying. A prompt
 * too long for the model's context window is permanent for that model, but another model with a larger window may
 * take it.
 */
public class LlmException extends Exception {
    private final boolean permanent;
    private final boolean contextTooLong;

    public LlmException(String message, boolean permanent) {
        this(message, permanent, false, null);
    }

    public LlmException(String message, boolean permanent, Throwable cause) {
        this(message, permanent, false, cause);
    }

    private LlmException(String message, boolean permanent, boolean contextTooLong, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.contextTooLong = contextTooLong;
    }

    /** The prompt does not fit the model's context window. */
    public static LlmException contextTooLong(String message) {
        return new LlmException(message, true, true, null);
    }

    public boolean isPermanent() {
        return permanent;
    }

    public boolean isContextTooLong() {
        return contextTooLong;
    }
}
