package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.StepCacheStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run path's transport in memory, for tests of the run reconciler's decisions without a Redis process. It keeps
 * what Redis keeps as {@link RedisRunTransport} uses it (RunTransportContract holds both to the same behaviour): a
 * task id is sent once, a task an agent took cannot be withdrawn, a result is read once and stays pending until it
 * is acknowledged. What an agent and Redis itself do is played by the test: {@link #take}, {@link #answer},
 * {@link #lose}.
 */
public final class MemoryTransport implements RunTransport {
    /** One entry of a stream. */
    public record Entry(String id, Map<String, String> fields) {
    }

    private final Map<String, LinkedHashMap<String, Map<String, String>>> streams = new HashMap<>();
    /** Stream and task id of every task sent, to the id of its entry. */
    private final Map<String, String> sent = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Set<String> watched = new LinkedHashSet<>();
    /** Result stream to the ids of its entries read and not acknowledged. */
    private final Map<String, Set<String>> pending = new HashMap<>();
    private final Set<String> delivered = new HashSet<>();
    private final Map<String, String> outputs = new HashMap<>();
    private final Map<String, String> cache = new HashMap<>();
    private final Map<String, List<String>> replies = new HashMap<>();
    private final Set<String> answered = new HashSet<>();
    private long nextId = 1;
    private long losses;

    @Override
    public synchronized boolean send(String stream, TaskMessage task) {
        String marker = stream + "/" + task.task();
        if (sent.containsKey(marker)) {
            return false;
        }
        sent.put(marker, add(stream, task.toFields()));
        return true;
    }

    @Override
    public synchronized boolean withdraw(String stream, String taskId) {
        String id = sent.get(stream + "/" + taskId);
        if (id == null || taken.contains(stream + "/" + id)) {
            return false;
        }
        return streams.getOrDefault(stream, new LinkedHashMap<>()).remove(id) != null;
    }

    @Override
    public synchronized void watch(String resultStream) {
        watched.add(resultStream);
        notifyAll();
    }

    @Override
    public synchronized List<ResultDelivery> read(int count, Duration block) {
        List<ResultDelivery> read = unread(count);
        if (read.isEmpty() && !block.isZero()) {
            try {
                wait(block.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            read = unread(count);
        }
        return read;
    }

    @Override
    public void takeOver() {
        takeOver(stream -> true);
    }

    @Override
    public synchronized void takeOver(java.util.function.Predicate<String> streams) {
        // whatever was read and not acknowledged is read again, on any stream accepted
        pending.forEach((stream, ids) -> {
            if (streams.test(stream)) {
                ids.forEach(id -> delivered.remove(stream + "/" + id));
                watched.add(stream);
            }
        });
        notifyAll();
    }

    @Override
    public synchronized void ack(ResultDelivery result) {
        pending.getOrDefault(result.stream(), new HashSet<>()).remove(result.id());
    }

    @Override
    public synchronized long losses() {
        return losses;
    }

    @Override
    public synchronized void wakeUp() {
        notifyAll();
    }

    @Override
    public synchronized void reply(String key, String answer) {
        replies.computeIfAbsent(key, k -> new ArrayList<>()).add(answer);
    }

    @Override
    public synchronized long work(String stream, long cap) {
        long open = entries(stream).stream().filter(e -> !answered.contains(e.fields().get("task"))).count();
        return Math.min(cap, open);
    }

    /** The answers put on a reply list, oldest first (LRANGE). */
    public synchronized List<String> replies(String key) {
        return List.copyOf(replies.getOrDefault(key, List.of()));
    }

    @Override
    public synchronized void saveOutput(String key, String output) {
        outputs.put(key, output);
    }

    @Override
    public synchronized Optional<String> loadOutput(String key) {
        return Optional.ofNullable(outputs.get(key));
    }

    @Override
    public synchronized void dropOutputs(Collection<String> keys) {
        keys.forEach(outputs::remove);
    }

    /** Answers kept as {@link RedisStepCache} keeps them: by role stream and key, within their maxAge. */
    @Override
    public StepCacheStore stepCache(String namespace, String team) {
        return new StepCacheStore() {
            @Override
            public Optional<CachedAnswer> find(CacheLookup lookup, Instant now) {
                synchronized (MemoryTransport.this) {
                    return CachedAnswer.fromJson(cache.get(RedisStepCache.entry(Names.queue(namespace, team, lookup.role()),
                            lookup.key()))).filter(answer -> answer.freshFor(lookup.maxAge(), now));
                }
            }

            @Override
            public void keep(CacheWrite write) {
                synchronized (MemoryTransport.this) {
                    if (write.fits()) {
                        cache.put(RedisStepCache.entry(Names.queue(namespace, team, write.role()), write.key()),
                                write.toJson());
                    }
                }
            }
        };
    }

    /** The step cache's entries, by key (as Redis holds them). */
    public synchronized Map<String, String> cached() {
        return Map.copyOf(cache);
    }

    /** The entries on a stream, oldest first (XRANGE). */
    public synchronized List<Entry> entries(String stream) {
        List<Entry> entries = new ArrayList<>();
        streams.getOrDefault(stream, new LinkedHashMap<>()).forEach((id, fields) -> entries.add(new Entry(id, fields)));
        return entries;
    }

    /** Results of the stream read and not acknowledged (XPENDING of the operator's group). */
    public synchronized int pending(String resultStream) {
        return pending.getOrDefault(resultStream, Set.of()).size();
    }

    /** An agent takes the oldest task of the stream it has not taken yet. */
    public synchronized Entry take(String stream) {
        for (Entry entry : entries(stream)) {
            if (taken.add(stream + "/" + entry.id())) {
                return entry;
            }
        }
        throw new IllegalStateException("no task to take on " + stream);
    }

    /** An agent's result of the task, on the task's result stream, copying the run's coordinates from the task. */
    public synchronized void answer(Entry task, TaskResult result) {
        answered.add(task.fields().get("task"));
        add(task.fields().get("replyTo"), result.toFields());
        notifyAll();
    }

    /** The fields a task asks its agent to copy into its result. */
    public static Map<String, String> copied(Entry task) {
        Map<String, String> copied = new HashMap<>();
        for (String key : List.of("run", "namespace", "step", "attempt", "team")) {
            if (task.fields().containsKey(key)) {
                copied.put(key, task.fields().get(key));
            }
        }
        return copied;
    }

    /** An agent's delegate call while it works on the task, on the task's result stream, as the agent sends it. */
    public synchronized void delegate(Entry task, int call, String target, String prompt) {
        add(task.fields().get("replyTo"), new DelegationCall(task.fields().get("task"), call, target, prompt, "agent",
                copied(task)).toFields());
        notifyAll();
    }

    /** What Redis loses when it restarts empty: the stream's tasks and the memory of which ones were sent. */
    public synchronized void lose(String stream) {
        streams.remove(stream);
        sent.keySet().removeIf(marker -> marker.startsWith(stream + "/"));
    }

    public synchronized void dropOutput(String key) {
        outputs.remove(key);
    }

    private String add(String stream, Map<String, String> fields) {
        String id = (nextId++) + "-0";
        streams.computeIfAbsent(stream, k -> new LinkedHashMap<>()).put(id, Map.copyOf(fields));
        return id;
    }

    private List<ResultDelivery> unread(int count) {
        List<ResultDelivery> read = new ArrayList<>();
        for (String stream : watched) {
            for (Entry entry : entries(stream)) {
                if (read.size() < count && delivered.add(stream + "/" + entry.id())) {
                    read.add(ResultDelivery.of(stream, entry.id(), entry.fields()));
                    pending.computeIfAbsent(stream, k -> new LinkedHashSet<>()).add(entry.id());
                }
            }
        }
        return read;
    }
}
