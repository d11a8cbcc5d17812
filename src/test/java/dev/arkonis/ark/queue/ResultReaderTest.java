package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's reading of result streams through its consumer group. */
class ResultReaderTest {
    private static final String RESULTS = "ns.team.writer.results";
    private static final String OTHER = "ns.team.reader.results";
    private static RedisFixture redis;
    private RedisConnections connections;
    private ExecutorService thread;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        redis.flushAll();
        connections = RedisConnections.open(redis.url());
        thread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        thread.shutdownNow();
        connections.close();
    }

    private ResultReader reader(String consumer, Duration claimIdle) {
        return new ResultReader(connections.newConnection(), connections.shared(), consumer, claimIdle);
    }

    private static Map<String, String> result(String task) {
        return TaskResult.succeeded(task, "done", 1, 2, "pod-a", 5, Map.of("run", "r", "step", "s")).toFields();
    }

    @Test
    void anIdleReaderBlocksUntilThereIsAStreamToReadAndThenReadsIt() {
        ResultReader reader = reader("operator-0", Duration.ofSeconds(30));
        CompletableFuture<List<ResultDelivery>> read = CompletableFuture.supplyAsync(
                () -> reader.read(10, Duration.ofSeconds(20)), thread);
        // with no stream to watch there is nothing to read: the call waits instead of returning at once
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !read.isDone());

        redis.redis().xadd(RESULTS, result("r/s/1"));
        reader.watch(RESULTS);
        List<ResultDelivery> results = await().atMost(Duration.ofSeconds(5)).until(read::get, r -> !r.isEmpty());
        assertThat(results).singleElement().satisfies(d -> assertThat(d.result().task()).isEqualTo("r/s/1"));
    }

    @Test
    void aDelegateCallOnAResultStreamIsReadAsOneBesideTheResults() {
        ResultReader reader = reader("operator-0", Duration.ofSeconds(30));
        reader.watch(RESULTS);
        redis.redis().xadd(RESULTS, new DelegationCall("r/s/1", 2, "billing", "refund it", "pod-a",
                Map.of("run", "r", "step", "s")).toFields());
        redis.redis().xadd(RESULTS, result("r/s/1"));
        List<ResultDelivery> read = await().atMost(Duration.ofSeconds(5))
                .until(() -> reader.read(10, Duration.ofMillis(200)), r -> r.size() == 2);
        assertThat(read.get(0).isDelegation()).isTrue();
        assertThat(read.get(0).delegation()).satisfies(call -> {
            assertThat(call.call()).isEqualTo(2);
            assertThat(call.target()).isEqualTo("billing");
            assertThat(call.prompt()).isEqualTo("refund it");
        });
        assertThat(read.get(0).task()).isEqualTo("r/s/1");
        assertThat(read.get(0).copied()).containsEntry("run", "r").containsEntry("step", "s");
        assertThat(read.get(1).isDelegation()).isFalse();
        assertThat(read.get(1).result().output()).isEqualTo("done");
    }

    @Test
    void watchingANewStreamWakesAReadBlockedOnTheOthers() {
        ResultReader reader = reader("operator-0", Duration.ofSeconds(30));
        reader.watch(RESULTS);
        CompletableFuture<List<ResultDelivery>> read = CompletableFuture.supplyAsync(
                () -> reader.read(10, Duration.ofSeconds(30)), thread);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !read.isDone());
        reader.watch(OTHER);
        // the blocked call returns (with nothing) long before its 30 s, so the next one includes the new stream
        await().atMost(Duration.ofSeconds(5)).until(read::isDone);
        redis.redis().xadd(OTHER, result("r/other/1"));
        assertThat(await().atMost(Duration.ofSeconds(5)).until(() -> reader.read(10, Duration.ofSeconds(1)),
                r -> !r.isEmpty())).singleElement().satisfies(d -> assertThat(d.stream()).isEqualTo(OTHER));
    }

    @Test
    void resultsReadButNeverAcknowledgedByAnOperatorThatIsGoneAreClaimedAndDeliveredOnce() {
        ResultReader old = reader("operator-old", Duration.ofSeconds(30));
        old.watch(RESULTS);
        redis.redis().xadd(RESULTS, result("r/s/1"));
        // the old operator read the result, then died before acknowledging it
        assertThat(old.read(10, Duration.ofMillis(100))).hasSize(1);

        ResultReader successor = reader("operator-new", Duration.ofMillis(200));
        successor.watch(RESULTS);
        List<ResultDelivery> claimed = await().atMost(Duration.ofSeconds(5))
                .until(() -> successor.read(10, Duration.ofMillis(100)), r -> !r.isEmpty());
        assertThat(claimed).singleElement().satisfies(d -> assertThat(d.result().task()).isEqualTo("r/s/1"));
        successor.ack(claimed.get(0));
        assertThat(redis.redis().xpending(RESULTS, ResultReader.GROUP).getCount()).isZero();
        assertThat(successor.read(10, Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void aReaderThatTakesOverReadsAtOnceWhatEveryEarlierReaderLeftUnacknowledgedOnEveryResultStream() {
        ResultReader old = reader("operator-old", Duration.ofSeconds(30));
        old.watch(RESULTS);
        old.watch(OTHER);
        redis.redis().xadd(RESULTS, result("r/s/1"));
        redis.redis().xadd(OTHER, result("r/other/1"));
        redis.redis().xadd(OTHER, result("r/other/2"));
        // the old leader read all three and died before acknowledging any
        List<ResultDelivery> read = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> read.addAll(old.read(10, Duration.ofMillis(50))) && read.size() == 3);
        // a stream of someone else's group, and the agents' task stream, are none of the operator's business
        redis.redis().xadd("ns.team.writer", Map.of("task", "r/s/1"));
        redis.redis().xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from("ns.team.writer", "0"), "ark-agents");

        // claiming by idle time alone would wait 30 s; the new leader knows the old one is gone and watches nothing yet
        ResultReader successor = reader("operator-new", Duration.ofSeconds(30));
        successor.takeOver();
        List<ResultDelivery> taken = successor.read(10, Duration.ofMillis(100));
        assertThat(taken).extracting(d -> d.result().task()).containsExactlyInAnyOrder("r/s/1", "r/other/1", "r/other/2");
        taken.forEach(successor::ack);
        assertThat(redis.redis().xpending(RESULTS, ResultReader.GROUP).getCount()).isZero();
        assertThat(redis.redis().xpending(OTHER, ResultReader.GROUP).getCount()).isZero();
        assertThat(successor.read(10, Duration.ofMillis(100))).as("taken over once").isEmpty();
    }

    @Test
    void aReplicaThatWinsAShardTakesOverOnlyThatShardsResultsAndLeavesTheOthersToTheirReader() {
        String mine = "mine.team.writer.results";
        String theirs = "theirs.team.writer.results";
        ResultReader dead = reader("replica-dead", Duration.ofSeconds(30));
        ResultReader alive = reader("replica-alive", Duration.ofSeconds(30));
        dead.watch(mine);
        alive.watch(theirs);
        redis.redis().xadd(mine, result("r/mine/1"));
        redis.redis().xadd(theirs, result("r/theirs/1"));
        // each read its shard's result; the one of "mine" died before acknowledging it
        await().atMost(Duration.ofSeconds(5)).until(() -> dead.read(10, Duration.ofMillis(50)).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> alive.read(10, Duration.ofMillis(50)).size() == 1);

        ResultReader successor = reader("replica-new", Duration.ofSeconds(30));
        successor.takeOver(stream -> stream.startsWith("mine."));
        List<ResultDelivery> taken = successor.read(10, Duration.ofMillis(100));
        assertThat(taken).extracting(d -> d.result().task()).containsExactly("r/mine/1");
        assertThat(redis.redis().xpending(theirs, ResultReader.GROUP).getCount())
                .as("the live replica's unacknowledged result stays its own").isEqualTo(1);
        assertThat(successor.read(10, Duration.ofMillis(100))).as("taken over once").isEmpty();
    }

    @Test
    void aMissingGroupIsRecreatedAndNeverStopsTheOtherStreamsFromBeingRead() {
        ResultReader reader = reader("operator-0", Duration.ofSeconds(30));
        reader.watch(RESULTS);
        reader.watch(OTHER);
        assertThat(reader.read(10, Duration.ofMillis(100))).isEmpty();
        long before = reader.groupsRecreated();

        redis.flushAll(); // Redis restarted without persistence: streams and groups are gone
        redis.redis().xadd(OTHER, result("r/other/1"));
        List<ResultDelivery> results = await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> reader.read(10, Duration.ofMillis(100)), r -> !r.isEmpty());
        assertThat(results).singleElement().satisfies(d -> assertThat(d.result().task()).isEqualTo("r/other/1"));
        assertThat(reader.groupsRecreated()).as("the loss of Redis data is noticed").isGreaterThan(before);
        assertThat(redis.redis().xinfoGroups(RESULTS)).hasSize(1);

        redis.redis().xadd(RESULTS, result("r/s/1"));
        assertThat(await().atMost(Duration.ofSeconds(5)).until(() -> reader.read(10, Duration.ofMillis(100)),
                r -> !r.isEmpty())).singleElement().satisfies(d -> assertThat(d.stream()).isEqualTo(RESULTS));
    }

}
