package dev.arkonis.ark.queue;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.embedded.core.ExecutableProvider;

/**
 * A small Sentinel set of real redis-server processes (the embedded-redis binary, 6.2): a primary and a replica that
 * demand a password, and three sentinels that watch them as {@link #MASTER}. The sentinels' default user demands a
 * password of its own ({@link #LOOKUP_PASSWORD}) and may only ask where the primary is; everything else (SENTINEL SET,
 * FAILOVER, the peers' own talk) needs the sentinels' user. The users and rules that let replicas replicate, sentinels
 * watch and promote, and clients ask are the chart's own: read from the lines its start scripts write
 * ({@code helm/ark/files/redis-node.sh}, {@code redis-sentinel.sh}), so a failover here proves the chart's rules.
 * The primary can be killed (SIGKILL) and the replica frozen meanwhile, so that the promoted replica lacks the
 * primary's last writes.
 */
public final class SentinelSet implements AutoCloseable {
    public static final String MASTER = "ark";
    public static final String PASSWORD = "data-secret";
    public static final String SENTINEL_USER = "ark-sentinel-peer";
    public static final String SENTINEL_PASSWORD = "sentinel-secret";
    /** The sentinels' default user's: what ark's processes are given to ask where the primary is. */
    public static final String LOOKUP_PASSWORD = "lookup-secret";
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Path NODE_SCRIPT = Path.of("helm/ark/files/redis-node.sh");
    private static final Path SENTINEL_SCRIPT = Path.of("helm/ark/files/redis-sentinel.sh");
    /** What the chart's scripts are given, by reference from its Secrets. */
    private static final Map<String, String> CHART_VARIABLES = Map.of("PRIMARY_NAME", MASTER,
            "REPLICATION_PASSWORD", "replication-secret", "MONITOR_PASSWORD", "monitor-secret",
            "PEER_PASSWORD", SENTINEL_PASSWORD, "REDISCLI_AUTH", LOOKUP_PASSWORD, "me", "127.0.0.1");

    private final Path dir;
    private final File binary;
    private final Node primary;
    private final Node replica;
    private final List<Node> sentinels = new ArrayList<>();
    private final RedisClient client = RedisClient.create();

    private SentinelSet() throws IOException {
        dir = Files.createTempDirectory("ark-sentinel-set");
        binary = ExecutableProvider.newJarResourceProvider().get();
        int primaryPort = RedisFixture.freePort();
        primary = start("primary", primaryPort, dataNode(primaryPort, List.of()), false);
        int replicaPort = RedisFixture.freePort();
        replica = start("replica", replicaPort, dataNode(replicaPort, List.of("replicaof 127.0.0.1 " + primaryPort)),
                false);
        for (int i = 0; i < 3; i++) {
            int port = RedisFixture.freePort();
            sentinels.add(start("sentinel-" + i, port, sentinelConf(port, primaryPort), true));
        }
    }

    /** Starts the five processes and waits until the sentinels know the replica and each other. */
    public static SentinelSet start() {
        SentinelSet set;
        try {
            set = new SentinelSet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            set.awaitReady();
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
        return set;
    }

    /** What ark is given: the sentinels and the primary's name (the data nodes' password is set apart). */
    public String url() {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port)
                .collect(Collectors.joining(",")) + "#" + MASTER;
    }

    public int primaryPort() {
        return primary.port;
    }

    public int replicaPort() {
        return replica.port;
    }

    public int sentinelPort(int index) {
        return sentinels.get(index).port;
    }

    /** A test-side connection to one data node, as its default user. */
    public RedisCommands<String, String> node(int port) {
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
        uri.setPassword(PASSWORD.toCharArray());
        return client.connect(StringCodec.UTF8, uri).sync();
    }

    /** A connection to a sentinel as its default user (with its password), or as the sentinels' own user. */
    public RedisCommands<String, String> sentinel(int index, boolean asSentinelUser) {
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + sentinels.get(index).port);
        if (asSentinelUser) {
            uri.setUsername(SENTINEL_USER);
            uri.setPassword(SENTINEL_PASSWORD.toCharArray());
        } else {
            uri.setPassword(LOOKUP_PASSWORD.toCharArray());
        }
        StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
        return connection.sync();
    }

    /** The port of the data node the sentinels name as primary now. */
    public int primaryNamedBySentinels() {
        return Integer.parseInt(sentinel(0, false).dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
                new io.lettuce.core.output.ValueListOutput<>(StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(StringCodec.UTF8).add("get-master-addr-by-name").add(MASTER))
                .get(1).toString());
    }

    /** SIGKILL: the primary dies at once, whatever it had not replicated yet dies with it. */
    public void killPrimary() {
        primary.process.destroyForcibly();
        try {
            primary.process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Freezes the replica (SIGSTOP) and closes its link to the primary, so whatever the primary takes from now on it
     * never passes on (a frozen replica would still find what was sent before in its socket's buffer); {@code false}
     * lets it go on (SIGCONT).
     */
    public void freezeReplica(boolean frozen) {
        if (frozen) {
            signal(replica.process, "-STOP");
            node(primary.port).clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());
        } else {
            signal(replica.process, "-CONT");
        }
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (int i = 0; i < sentinels.size(); i++) {
                RedisCommands<String, String> admin = sentinel(i, true);
                String master = admin.info("sentinel");
                if (!master.contains("slaves=1,sentinels=3")) {
                    return false;
                }
            }
            return true;
        });
    }

    private List<String> dataNode(int port, List<String> extra) {
        List<String> conf = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "save \"\"", "appendonly no",
                "requirepass " + PASSWORD));
        conf.addAll(chartLines(NODE_SCRIPT, "replica-announce-ip ", "masteruser ", "masterauth ", "user "));
        conf.addAll(extra);
        return conf;
    }

    private List<String> sentinelConf(int port, int primaryPort) {
        List<String> conf = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1"));
        conf.addAll(chartLines(SENTINEL_SCRIPT, "sentinel resolve-hostnames ", "sentinel announce-hostnames "));
        conf.addAll(List.of("sentinel monitor " + MASTER + " 127.0.0.1 " + primaryPort + " 2",
                "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER.toMillis(),
                "sentinel failover-timeout " + MASTER + " 5000"));
        // the sentinels' users on the data nodes and on each other; the default user may only ask where the primary is
        conf.addAll(chartLines(SENTINEL_SCRIPT, "sentinel auth-user ", "sentinel auth-pass ", "sentinel parallel-syncs ",
                "sentinel sentinel-user ", "sentinel sentinel-pass ", "user "));
        return conf;
    }

    /** The configuration lines of a chart start script that begin with one of the prefixes, its variables filled in. */
    static List<String> chartLines(Path script, String... prefixes) {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(script)) {
                for (String prefix : prefixes) {
                    if (line.startsWith(prefix)) {
                        String filled = line;
                        for (Map.Entry<String, String> variable : CHART_VARIABLES.entrySet()) {
                            filled = filled.replace("${" + variable.getKey() + "}", variable.getValue());
                        }
                        lines.add(filled);
                        break;
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Node start(String name, int port, List<String> conf, boolean sentinel) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path file = home.resolve(name + ".conf");
        List<String> lines = new ArrayList<>(conf);
        lines.add("dir " + home);
        lines.add("logfile " + home.resolve(name + ".log"));
        Files.write(file, lines);
        List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath(), file.toString()));
        if (sentinel) {
            command.add("--sentinel");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".out").toFile()).start();
        return new Node(port, process);
    }

    private static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the processes log, for a failure's message. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        signal(replica.process, "-CONT");
        for (Node node : nodes()) {
            node.process.destroyForcibly();
        }
        for (Node node : nodes()) {
            try {
                node.process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<Node> nodes() {
        List<Node> all = new ArrayList<>(List.of(primary, replica));
        all.addAll(sentinels);
        return all;
    }

    private record Node(int port, Process process) {
    }

    /** The data nodes' and the sentinels' passwords as ark's processes are given them. */
    public Map<String, String> credentialsEnv() {
        return Map.of("TASK_QUEUE_PASSWORD", PASSWORD, "TASK_QUEUE_SENTINEL_PASSWORD", LOOKUP_PASSWORD);
    }

    /** The endpoint ark's operator connects with. */
    public RedisEndpoint endpoint() {
        return new RedisEndpoint(url(), Optional.empty(), Optional.of(PASSWORD), Optional.of(LOOKUP_PASSWORD));
    }
}
