package dev.arkonis.ark.cluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.queue.RedisFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness's redis-cli against a real redis-server: what the chart's start scripts read from it, and its exit codes. */
class RedisCliTest {
    private static final Map<String, String> AUTHENTICATED = Map.of("REDISCLI_AUTH", "pw");
    private static RedisFixture redis;

    @BeforeAll
    static void start() {
        redis = RedisFixture.startWith("requirepass pw", "user reader on >reader-pw ~* -@all +ping +get");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    /** What a run printed on stdout and stderr, and its exit code. */
    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome cli(Map<String, String> env, String... args) {
        List<String> line = new ArrayList<>(List.of("-p", Integer.toString(redis.port())));
        line.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RedisCli.run(line, env, "127.0.0.1", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsRepliesAsRedisCliDoesIntoAPipe() {
        assertThat(cli(AUTHENTICATED, "--no-auth-warning", "ping")).isEqualTo(new Outcome(0, "PONG\n", ""));
        assertThat(cli(AUTHENTICATED, "rpush", "l", "host.example", "6379").out()).isEqualTo("2\n");
        assertThat(cli(AUTHENTICATED, "lrange", "l", "0", "-1").out()).as("an array: one element a line")
                .isEqualTo("host.example\n6379\n");
        assertThat(cli(AUTHENTICATED, "get", "missing").out()).as("nil").isEqualTo("\n");
    }

    @Test
    void authenticatesAsTheUserGivenWithThePasswordFromTheEnvironmentOrTheCommandLine() {
        assertThat(cli(Map.of("REDISCLI_AUTH", "reader-pw"), "--user", "reader", "-e", "ping").exitCode()).isZero();
        assertThat(cli(Map.of(), "--user", "reader", "-a", "reader-pw", "-e", "ping").exitCode()).isZero();
        Outcome refused = cli(Map.of("REDISCLI_AUTH", "reader-pw"), "--user", "reader", "-e", "set", "k", "v");
        assertThat(refused.exitCode()).as("-e: an error answer fails").isEqualTo(1);
        assertThat(refused.err()).contains("NOPERM");
    }

    @Test
    void failsOnAnErrorOnlyWithDashEAndAlwaysWhenItCannotConnect() {
        Outcome wrongPassword = cli(Map.of("REDISCLI_AUTH", "wrong"), "-e", "ping");
        assertThat(wrongPassword.exitCode()).isEqualTo(1);
        assertThat(wrongPassword.err()).contains("AUTH failed").contains("NOAUTH");
        assertThat(cli(Map.of("REDISCLI_AUTH", "wrong"), "ping").exitCode()).as("without -e").isZero();
        int closed = RedisFixture.freePort();
        assertThat(cli(AUTHENTICATED, "-p", Integer.toString(closed), "ping"))
                .satisfies(o -> assertThat(o.exitCode()).isEqualTo(1))
                .satisfies(o -> assertThat(o.err()).startsWith("Could not connect to Redis at 127.0.0.1:" + closed));
    }
}
