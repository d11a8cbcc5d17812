package dev.arkonis.ark.queue;

import dev.arkonis.ark.flow.StepCacheStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the operator's run path needs of the queue, and no more: tasks put on a role's stream (each task id once) and
 * taken back while no agent holds them, results read through the operator's group and acknowledged once a run's
 * status holds them, the whole text of outputs a status had to cut, and the step cache of each team's roles. {@link RedisRunTransport} carries it over
 * Redis streams; the tests of the run reconciler's decisions carry it in memory.
 */
public interface RunTransport {
    /** Puts the task on the stream unless a task of the same id was sent before; whether it was put there. */
    boolean send(String stream, TaskMessage task);

    /** Takes the task back unless an agent already holds it (it then finishes); whether it was taken back. */
    boolean withdraw(String stream, String taskId);

    /** Starts reading a result stream; results already on it and never acknowledged are read too. */
    void watch(String resultStream);

    /** Results of the watched streams not read yet, oldest first; waits up to {@code block} while there are none. */
    List<ResultDelivery> read(int count, Duration block);

    /**
     * This process alone reads results from now on (it leads): the next {@link #read} returns at once whatever an
     * earlier reader read and never acknowledged, on every result stream, watched or not.
     */
    void takeOver();

    /** As {@link #takeOver()}, on the result streams {@code streams} accepts only (a shard's). */
    void takeOver(java.util.function.Predicate<String> streams);

    /** The result is done with: it is never read again. */
    void ack(ResultDelivery result);

    /**
     * How many times the transport was found to have lost what it held, or may have (Redis restarted empty, restarted,
     * or failed over to a replica that lacked the last writes); a change means tasks may be lost.
     */
    long losses();

    /** Ends a {@link #read} that is waiting. */
    void wakeUp();

    /** Hands the answer to a delegate call to the agent that waits on the list {@code key} (it may not wait yet). */
    void reply(String key, String answer);

    /** Tasks queued or in progress on the stream, counted up to {@code cap}: what least-busy lookups compare. */
    long work(String stream, long cap);

    /** Keeps the whole text of an output under its key. */
    void saveOutput(String key, String output);

    Optional<String> loadOutput(String key);

    /** Whole outputs no longer wanted (their run is gone); keys that hold none are passed over. */
    void dropOutputs(Collection<String> keys);

    /** The step cache of a team's roles in a namespace, each role's answers under its own keys. */
    StepCacheStore stepCache(String namespace, String team);
}
