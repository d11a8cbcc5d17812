package dev.arkonis.ark.bench;

import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;

/** The mock cluster with the whole operator (ArkRun reconciler included) on a real Redis, as the benchmarks use it. */
final class BenchCluster {
    private BenchCluster() {
    }

    static MockCluster withRuns(RedisFixture redis, RedisConnections connections) {
        return MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0"), connections);
    }
}
