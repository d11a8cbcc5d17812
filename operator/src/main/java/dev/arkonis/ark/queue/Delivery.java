package dev.arkonis.ark.queue;

import java.util.Map;

/**
 * A task stream entry handed to this consumer.
 *
 * @param deliveries how many times the group has handed it out, this time included
 */
public record Delivery(String entryId, Map<String, String> fields, long deliveries) {
    public Delivery {
        fields = Map.copyOf(fields);
    }
}
