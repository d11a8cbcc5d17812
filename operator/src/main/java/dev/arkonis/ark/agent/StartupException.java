package dev.arkonis.ark.agent;

/** The agent cannot start; the message is what the user reads in the pod log. */
public class StartupException extends Exception {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
