package dev.arkonis.ark.queue;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which dataset history a connection's Redis carries: its replication id ({@code master_replid} of
 * {@code INFO replication}), which a primary keeps across reconnects and which changes when a replica is promoted or
 * a server restarts. A change, once per new id, is counted.
 */
final class ReplicationHistory {
    private static final String FIELD = "master_replid:";

    private final StatefulRedisConnection<String, String> connection;
    private final AtomicLong changes = new AtomicLong();
    private String known;

    ReplicationHistory(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
        this.known = read(connection).orElse(null);
    }

    long changes() {
        return changes.get();
    }

    /**
     * Asks again without blocking (the caller may be Lettuce's event thread): the question waits, queued, until this
     * connection is back too, wherever it reconnected.
     */
    void checkAgain() {
        connection.async().info("replication").thenAccept(info -> replicationId(info).ifPresent(this::seen));
    }

    private synchronized void seen(String id) {
        if (known != null && !known.equals(id)) {
            changes.incrementAndGet();
        }
        known = id;
    }

    private static Optional<String> read(StatefulRedisConnection<String, String> connection) {
        try {
            return replicationId(connection.sync().info("replication"));
        } catch (RuntimeException e) {
            return Optional.empty(); // a user without INFO: the history is not watched
        }
    }

    static Optional<String> replicationId(String info) {
        return info.lines().filter(line -> line.startsWith(FIELD))
                .map(line -> line.substring(FIELD.length()).strip()).findFirst();
    }
}
