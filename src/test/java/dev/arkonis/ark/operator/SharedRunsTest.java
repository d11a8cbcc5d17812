package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The run, team and ArkEvent controllers read one watch of ArkRuns: the API server sends (and the operator parses)
 * each write of a run once. Teams keeping their history and events firing on runs are shown by their own tests.
 */
class SharedRunsTest {
    @Test
    void anOperatorThatRunsRunsAsksTheApiServerToWatchRunsOnce() throws Exception {
        try (RedisFixture redis = RedisFixture.start();
             RedisConnections connections = RedisConnections.open(redis.url());
             MockCluster cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(),
                     "POD_NAME", "operator-0"), connections)) {
            assertThat(watchesSinceStart(cluster)).containsEntry("arkruns", 1);
        }
    }

    @Test
    void anOperatorThatRunsNoRunsStillWatchesThemOnceForItsTeamsAndEvents() throws Exception {
        try (MockCluster cluster = new MockCluster(MockCluster.env())) {
            assertThat(watchesSinceStart(cluster)).containsEntry("arkruns", 1);
        }
    }

    /** Watch requests the API server received by resource, from its start to now (the operator has started). */
    private static Map<String, Integer> watchesSinceStart(MockCluster cluster) throws InterruptedException {
        Map<String, Integer> watches = new TreeMap<>();
        for (RecordedRequest request = cluster.server.takeRequest(1, TimeUnit.SECONDS); request != null;
             request = cluster.server.takeRequest(1, TimeUnit.SECONDS)) {
            String path = request.getPath();
            int query = path.indexOf('?');
            if (query > 0 && path.substring(query).matches(".*[?&]watch=true(&.*)?")) {
                watches.merge(path.substring(path.lastIndexOf('/', query) + 1, query), 1, Integer::sum);
            }
        }
        return watches;
    }
}
