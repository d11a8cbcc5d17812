package dev.arkonis.ark.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/** A real redis-server process on a free port, for tests; optionally with AOF persistence. */
public final class RedisFixture implements AutoCloseable {
    private final int port;
    private final RedisServer server;
    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisFixture(boolean appendOnly, String... settings) throws IOException {
        this.port = freePort();
        Path dir = Files.createTempDirectory("ark-redis");
        var builder = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + dir)
                .setting("save \"\"")
                .setting(appendOnly ? "appendonly yes" : "appendonly no")
                .settingIf(appendOnly, "appendfsync always");
        for (String setting : settings) {
            builder.setting(setting);
        }
        this.server = builder.build();
        server.start();
        this.client = RedisClient.create("redis://127.0.0.1:" + port);
    }

    public static RedisFixture start() {
        try {
            return new RedisFixture(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With further lines of redis.conf, e.g. a {@code user} of its own. */
    public static RedisFixture startWith(String... settings) {
        try {
            return new RedisFixture(false, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** appendonly yes, appendfsync always: a restart loses nothing acknowledged. */
    public static RedisFixture startWithAof() {
        try {
            return new RedisFixture(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A test-side connection for setting up and checking state. */
    public synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null) {
            connection = client.connect(StringCodec.UTF8);
        }
        return connection;
    }

    public RedisCommands<String, String> redis() {
        return connection().sync();
    }

    public void flushAll() {
        redis().flushall();
    }

    /** Stops the server process: Redis is down until {@link #startAgain()}. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stopped server again on the same port and data directory. */
    public void startAgain() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server process (SIGTERM) and starts it again on the same port and data directory. */
    public void restart() {
        try {
            server.stop();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.shutdown();
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
