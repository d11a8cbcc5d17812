package dev.arkonis.ark.llm;

/** A model call that failed; permanent failures (bad key, unknown model, bad request) are not worth retrying. */
public class LlmException extends Exception {
    private final boolean permanent;

    public LlmException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public LlmException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
