package dev.arkonis.ark.agent;

import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.queue.ResultEntry;
import dev.arkonis.ark.queue.TaskQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Agents with short timeouts for tests, started in-process; stopped (or aborted) after each test. */
final class TestAgents implements AutoCloseable {
    static final String QUEUE = "ns.team.writer";
    static final String REPLIES = "ns.team.results";

    private final RedisFixture redis;
    private final List<AgentRuntime> started = new ArrayList<>();

    TestAgents(RedisFixture redis) {
        this.redis = redis;
    }

    /** A config: visibility 1 s, timeout 30 s, 5 at once, 3 deliveries, no budget, grace 5 s. */
    Builder config(String pod) {
        return new Builder(pod);
    }

    AgentRuntime start(AgentConfig config, LlmProvider provider) throws StartupException {
        AgentRuntime runtime = new AgentRuntime(config, provider, Clock.systemUTC());
        runtime.start();
        started.add(runtime);
        return runtime;
    }

    AgentRuntime start(String pod, LlmProvider provider) throws StartupException {
        return start(config(pod).build(), provider);
    }

    List<ResultEntry> results(TaskQueue queue) {
        return queue.readResults(REPLIES, "0", 1000, Duration.ZERO);
    }

    @Override
    public void close() {
        started.forEach(runtime -> runtime.shutdown(Duration.ZERO));
    }

    final class Builder {
        private final String pod;
        private Duration visibility = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(30);
        private int maxConcurrent = 5;
        private int maxDeliveries = 3;
        private long dailyLimit;
        private Duration grace = Duration.ofSeconds(5);

        private Builder(String pod) {
            this.pod = pod;
        }

        Builder visibility(Duration value) {
            visibility = value;
            return this;
        }

        Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        Builder maxConcurrent(int value) {
            maxConcurrent = value;
            return this;
        }

        Builder maxDeliveries(int value) {
            maxDeliveries = value;
            return this;
        }

        Builder dailyLimit(long value) {
            dailyLimit = value;
            return this;
        }

        Builder grace(Duration value) {
            grace = value;
            return this;
        }

        AgentConfig build() {
            return new AgentConfig(QUEUE, dev.arkonis.ark.queue.RedisEndpoint.of(redis.url()), pod, "test-model", "mock", "be brief", 8000, timeout,
                    maxConcurrent, visibility, maxDeliveries, dailyLimit, java.time.Duration.ofHours(24), 0, grace);
        }
    }
}
