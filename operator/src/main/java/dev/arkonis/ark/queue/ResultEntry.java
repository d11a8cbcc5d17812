package dev.arkonis.ark.queue;

/** A result read from a reply stream, with its entry id (the position to continue reading after). */
public record ResultEntry(String id, TaskResult result) {
}
