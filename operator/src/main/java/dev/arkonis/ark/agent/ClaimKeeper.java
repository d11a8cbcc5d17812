package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.TaskConsumer;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Keeps what a live agent holds: its claims on the tasks it works on (so they are not reclaimed while they run), its
 * heartbeat, and the group tidy (consumers of agents that are gone and hold nothing are removed).
 */
final class ClaimKeeper {
    private final TaskConsumer consumer;
    private final InFlight inFlight;
    private final Duration heartbeatTtl;
    private final Logger log;

    ClaimKeeper(TaskConsumer consumer, InFlight inFlight, Duration heartbeatTtl, Logger log) {
        this.consumer = consumer;
        this.inFlight = inFlight;
        this.heartbeatTtl = heartbeatTtl;
        this.log = log;
    }

    void renewClaims() {
        Set<String> held = inFlight.entryIds();
        if (!held.isEmpty()) {
            Set<String> kept = consumer.renew(held);
            if (kept.size() < held.size()) {
                log.debug("{} in-flight task(s) no longer pending here", held.size() - kept.size());
            }
        }
    }

    void heartbeat() {
        consumer.heartbeat(heartbeatTtl);
    }

    void removeGoneConsumers() {
        for (String name : consumer.removeGoneConsumers()) {
            log.info("removed consumer {} of {}: its agent is gone and it held no tasks", name, consumer.keys().stream());
        }
    }
}
