package dev.arkonis.ark.queue;

/** A result read through the dispatcher's group: where it came from, so it can be acknowledged. */
public record ResultDelivery(String stream, String id, TaskResult result) {
}
