package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The whole text of outputs that a run's status holds only the start of ({@code outputTruncated}), read from where
 * the operator kept them in Redis, when the process is told where Redis is.
 */
public final class WholeOutputs {
    private final Optional<RedisEndpoint> queue;

    public WholeOutputs(Optional<RedisEndpoint> queue) {
        this.queue = queue;
    }

    /** From TASK_QUEUE_URL and its credentials (TASK_QUEUE_USERNAME, TASK_QUEUE_PASSWORD), when set. */
    public static WholeOutputs fromEnv(Map<String, String> env) {
        return new WholeOutputs(RedisEndpoint.fromEnv(env));
    }

    public boolean configured() {
        return queue.isPresent();
    }

    /** A cut step output's whole text; empty when it was not cut, no URL is known or Redis no longer has it. */
    public Optional<String> step(ArkRun run, StepStatus step) throws RedisUnavailableException {
        if (queue.isEmpty() || !Boolean.TRUE.equals(step.outputTruncated())) {
            return Optional.empty();
        }
        String key = OutputStore.stepKey(Names.queue(run.getMetadata().getNamespace(), RunViews.team(run), step.role()),
                run.getMetadata().getName(), step.name());
        return load(key);
    }

    /** The run's cut output's whole text, likewise. */
    public Optional<String> run(ArkRun run) throws RedisUnavailableException {
        if (queue.isEmpty() || run.getStatus() == null || !Boolean.TRUE.equals(run.getStatus().outputTruncated())) {
            return Optional.empty();
        }
        return load(Names.runOutput(run.getMetadata().getNamespace(), RunViews.team(run), run.getMetadata().getName()));
    }

    private Optional<String> load(String key) throws RedisUnavailableException {
        try (RedisConnections redis = RedisConnections.open(queue.get())) {
            return new OutputStore(redis.shared(), Duration.ofDays(7)).load(key);
        }
    }
}
