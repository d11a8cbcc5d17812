package dev.arkonis.ark.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** A look into the chart's Redis from the test, as {@code redis-cli} through a port-forward would give it. */
final class QueueProbe implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    QueueProbe(String url) {
        client = RedisClient.create(url);
        connection = client.connect();
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
