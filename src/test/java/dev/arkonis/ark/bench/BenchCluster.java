package dev.arkonis.ark.bench;

import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.RunReconciler;
import dev.arkonis.ark.operator.run.RunSettings;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import java.time.Clock;
import java.util.List;

/** The mock cluster with the whole operator (ArkRun reconciler included) on a real Redis, as the benchmarks use it. */
final class BenchCluster {
    private BenchCluster() {
    }

    static MockCluster withRuns(RedisFixture redis, RedisConnections connections) {
        return new MockCluster(MockCluster.env("TASK_QUEUE_URL", redis.url()), client -> List.of(
                RunReconciler.on(client, connections, "operator-0", RunSettings.DEFAULT, Clock.systemUTC())));
    }
}
