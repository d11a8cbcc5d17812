package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Run history that does not fill etcd, on the real server: a finished run is deleted {@code ttlSecondsAfterFinished}
 * after it finished (its own, else its team's), and the whole output Redis kept for it goes with it; a run that sets a
 * longer one stays, and the API server refuses a negative one.
 */
@Order(41)
class RunExpiryIT {
    private static final int TEAM_TTL = 8;
    private static final int OUTPUT_CHARS = 40_000;
    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
    }

    /** One step asked (through its output schema) for more than a status keeps of one output, so it is cut. */
    private static String team() {
        String schema = ClusterTeams.longTextSchema(OUTPUT_CHARS);
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: brief}
                spec:
                  ttlSecondsAfterFinished: %d
                  roles: [{name: writer, model: m, provider: mock}]
                  pipeline:
                    - {name: draft, role: writer, outputSchema: "%s", inputs: {prompt: "draft"}}
                """.formatted(TEAM_TTL, schema);
    }

    @Test
    void aFinishedRunIsDeletedItsTimeToLiveAfterItFinishedWithTheOutputKeptForIt() {
        RedisClient redisClient = RedisClient.create(ark.redisUrl());
        try (TestNamespace ns = TestNamespace.create(cluster, "expiry");
             StatefulRedisConnection<String, String> redis = redisClient.connect()) {
            ns.apply(team()).assertSuccess();
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: kept}
                    spec: {teamRef: {name: brief}, ttlSecondsAfterFinished: 3600}
                    """).assertSuccess();
            ns.startRun("brief-1", "brief", "{}");
            RunStatus finished = ns.awaitPhase("brief-1", RunPhase.Succeeded, Duration.ofSeconds(90));
            ns.awaitPhase("kept", RunPhase.Succeeded, Duration.ofSeconds(90));
            String output = Names.stepOutput(Names.queue(ns.name, "brief", "writer"), "brief-1", "draft");
            assertThat(finished.steps().get(0).outputTruncated()).as("the output was cut, kept whole in Redis").isTrue();
            assertThat(redis.sync().exists(output)).as("the whole output, in Redis while the run is").isEqualTo(1L);

            Instant expiry = Instant.parse(finished.completionTime()).plusSeconds(TEAM_TTL);
            eventually().atMost(Duration.ofSeconds(TEAM_TTL + 60)).until(() -> ns.run("brief-1") == null);
            assertThat(Instant.now()).as("deleted once its time was up, not before").isAfterOrEqualTo(expiry);
            eventually().untilAsserted(() -> assertThat(redis.sync().exists(output)).as("its whole output").isZero());

            assertThat(ns.run("kept")).as("a run whose own time to live is longer stays").isNotNull();
            String keptOutput = Names.stepOutput(Names.queue(ns.name, "brief", "writer"), "kept", "draft");
            assertThat(redis.sync().exists(keptOutput)).isEqualTo(1L);

            Command.Result refused = ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: never}
                    spec: {teamRef: {name: brief}, ttlSecondsAfterFinished: -1}
                    """);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr()).contains("ttlSecondsAfterFinished");
        } finally {
            redisClient.shutdown();
        }
    }
}
