package dev.arkonis.ark.queue;

/** A stream entry that is not a usable task; it goes to the dead-letter stream. */
public class MalformedTaskException extends Exception {
    public MalformedTaskException(String message) {
        super(message);
    }
}
