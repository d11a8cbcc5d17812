package dev.arkonis.ark.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lettuce client for one Redis ({@code redis://} or {@code rediss://}, or its primary as Sentinel names it,
 * {@code redis-sentinel://}, {@code rediss-sentinel://}; as a user with a password, see {@link RedisEndpoint}): one
 * shared connection for short commands, and extra ones for blocking reads. Connections reconnect by themselves after
 * an outage (backoff up to 2 s; through Sentinel, to whichever primary it names then); commands sent meanwhile wait.
 * A reconnect that finds another dataset history (a replica promoted, a restart) is counted in {@link #serverChanges}.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final ClientResources resources;
    private final RedisClient client;
    private final String redactedUrl;
    private final StatefulRedisConnection<String, String> shared;
    private volatile ReplicationHistory history;

    private RedisConnections(ClientResources resources, RedisClient client, String redactedUrl,
                             StatefulRedisConnection<String, String> shared) {
        this.resources = resources;
        this.client = client;
        this.redactedUrl = redactedUrl;
        this.shared = shared;
        onReconnect(() -> {
            ReplicationHistory watched = history;
            if (watched != null) {
                watched.checkAgain();
            }
        });
    }

    /** A URL alone (credentials, if any, in it). */
    public static RedisConnections open(String url) throws RedisUnavailableException {
        return open(RedisEndpoint.of(url));
    }

    /** Connects at once, so a wrong URL, wrong credentials or a Redis that is down are reported at start-up. */
    public static RedisConnections open(RedisEndpoint endpoint) throws RedisUnavailableException {
        String redacted = endpoint.redacted();
        RedisURI uri;
        try {
            uri = endpoint.toUri();
        } catch (IllegalArgumentException e) {
            throw new RedisUnavailableException("not a Redis URL: " + redacted, null);
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        try {
            return new RedisConnections(resources, client, redacted, client.connect(StringCodec.UTF8));
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new RedisUnavailableException("cannot connect to Redis at " + redacted + ": " + cause(e), e);
        }
    }

    public StatefulRedisConnection<String, String> shared() {
        return shared;
    }

    /** A further connection, e.g. for blocking reads that must not stall the shared one. */
    public StatefulRedisConnection<String, String> newConnection() {
        return client.connect(StringCodec.UTF8);
    }

    public String redactedUrl() {
        return redactedUrl;
    }

    /**
     * Calls {@code listener} whenever a connection is established again after one was lost: Redis may have restarted
     * and forgotten what only lives in its memory (ACL users, and without persistence its data). Runs on Lettuce's
     * event thread: the listener must not block.
     */
    public void onReconnect(Runnable listener) {
        AtomicBoolean lost = new AtomicBoolean();
        resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent) {
                lost.set(true);
            } else if (event instanceof ConnectionActivatedEvent && lost.compareAndSet(true, false)) {
                listener.run();
            }
        });
    }

    /**
     * How many times a reconnect found Redis with another replication history than before: a replica promoted by
     * Sentinel, or a restart. Either may have lost the last writes the old one took (replication and the append-only
     * file trail by up to a second), so what was sent then may have to be sent again. Stays 0 for a user that may not
     * run {@code INFO}. Watched from the first call on (the operator's run path asks at once; agents, whose users may
     * not run {@code INFO}, and the CLI never ask).
     */
    public long serverChanges() {
        ReplicationHistory watched = history;
        if (watched == null) {
            synchronized (this) {
                if (history == null) {
                    history = new ReplicationHistory(shared);
                }
                watched = history;
            }
        }
        return watched.changes();
    }

    /** Closes every connection at once: nothing in flight is waited for. */
    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return message.contains("refused") ? "connection refused" : t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t.getCause() == null) {
                return String.valueOf(t.getMessage());
            }
        }
        return String.valueOf(e.getMessage());
    }
}
