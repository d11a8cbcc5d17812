package dev.arkonis.ark.queue;

import dev.arkonis.ark.flow.StepCacheStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The run path's transport over Redis streams: the task queue, the operator's result reader, the output store and the
 * step cache.
 */
public final class RedisRunTransport implements RunTransport {
    private final TaskQueue tasks;
    private final ResultReader results;
    private final OutputStore outputs;
    private final RedisStepCache cache;
    private final QueueWork work;
    private final Duration keep;
    private final LongSupplier serverChanges;

    /** @param serverChanges how often Redis was found to carry another history (a failover, a restart) */
    public RedisRunTransport(TaskQueue tasks, ResultReader results, OutputStore outputs, RedisStepCache cache,
                             QueueWork work, Duration keep, LongSupplier serverChanges) {
        this.tasks = tasks;
        this.results = results;
        this.outputs = outputs;
        this.cache = cache;
        this.work = work;
        this.keep = keep;
        this.serverChanges = serverChanges;
    }

    /**
     * On one Redis: commands on the shared connection, result reads blocking on a connection of their own.
     *
     * @param consumer  this operator's name in the result streams' group
     * @param keep      how long whole outputs and sent-task markers stay
     * @param claimIdle how long a result another operator read and never acknowledged waits before this one takes it
     */
    public static RedisRunTransport on(RedisConnections redis, String consumer, Duration keep, Duration claimIdle) {
        redis.serverChanges(); // watched from now on
        return new RedisRunTransport(new TaskQueue(redis.shared()),
                new ResultReader(redis.newConnection(), redis.shared(), consumer, claimIdle),
                new OutputStore(redis.shared(), keep),
                new RedisStepCache(redis.shared(), RedisStepCache.DEFAULT_MAX_ENTRIES), new QueueWork(redis.shared()), keep,
                redis::serverChanges);
    }

    @Override
    public boolean send(String stream, TaskMessage task) {
        return tasks.dispatchOnce(stream, task, keep);
    }

    @Override
    public boolean withdraw(String stream, String taskId) {
        return tasks.withdraw(stream, taskId);
    }

    @Override
    public void watch(String resultStream) {
        results.watch(resultStream);
    }

    @Override
    public List<ResultDelivery> read(int count, Duration block) {
        return results.read(count, block);
    }

    @Override
    public void takeOver() {
        results.takeOver();
    }

    @Override
    public void takeOver(java.util.function.Predicate<String> streams) {
        results.takeOver(streams);
    }

    @Override
    public void ack(ResultDelivery result) {
        results.ack(result);
    }

    @Override
    public long losses() {
        // a promoted replica or a restart may lack the last tasks sent: each counts as a loss, and runs send again
        return results.groupsRecreated() + serverChanges.getAsLong();
    }

    @Override
    public void wakeUp() {
        results.wakeUp();
    }

    @Override
    public void reply(String key, String answer) {
        tasks.reply(key, answer, keep);
    }

    @Override
    public long work(String stream, long cap) {
        return work.of(stream, cap);
    }

    @Override
    public void saveOutput(String key, String output) {
        outputs.save(key, output);
    }

    @Override
    public Optional<String> loadOutput(String key) {
        return outputs.load(key);
    }

    @Override
    public void dropOutputs(Collection<String> keys) {
        outputs.delete(keys);
    }

    @Override
    public StepCacheStore stepCache(String namespace, String team) {
        return cache.forTeam(namespace, team);
    }
}
