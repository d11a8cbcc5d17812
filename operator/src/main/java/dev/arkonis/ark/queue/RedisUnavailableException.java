package dev.arkonis.ark.queue;

/** Redis could not be reached; the message names the URL (password redacted) and the cause. */
public class RedisUnavailableException extends Exception {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
