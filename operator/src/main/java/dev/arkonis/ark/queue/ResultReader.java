package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.Names;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The dispatcher's view of result streams, through its own consumer group: each result is delivered until it is
 * acknowledged, so one that arrived while the dispatcher was down is read after it restarts, and one that a
 * dispatcher read but never acknowledged before it died is claimed (XAUTOCLAIM) by its successor: at once, on every
 * result stream in Redis, when the successor {@link #takeOver takes over} (it knows the one before is gone), and on
 * the streams it watches once such a result has been idle for {@code claimIdle}. Reading costs what the new results
 * cost, never the streams' history. With nothing to
 * read, {@link #read} waits (on the streams, or for a first stream); watching a new stream wakes a waiting read.
 * A group found missing (Redis lost its data) is created again on every watched stream, and counted.
 * {@link #read} is for one reading thread; {@link #watch} and {@link #ack} may be called from any.
 */
public final class ResultReader {
    /** The operator's consumer group on every result stream. */
    public static final String GROUP = "ark-operator";

    private final StatefulRedisConnection<String, String> blockingConnection;
    private final RedisCommands<String, String> blocking;
    private final RedisCommands<String, String> commands;
    private final Consumer<String> consumer;
    private final Duration claimIdle;
    private final Set<String> streams = new LinkedHashSet<>();
    private final Set<String> unreadBacklog = new LinkedHashSet<>();
    private final AtomicLong groupsRecreated = new AtomicLong();
    private long nextClaimAtNanos = System.nanoTime();
    private static final Predicate<String> NONE_TAKEN_OVER = stream -> false;

    private Predicate<String> takeOverStreams = NONE_TAKEN_OVER;
    private volatile Long blockedClient;
    private long version;

    /**
     * @param blockingConnection held while waiting for results; {@code commandConnection} acknowledges
     * @param claimIdle          how long a result must have waited, unacknowledged, with another consumer before this
     *                           one takes it over
     */
    public ResultReader(StatefulRedisConnection<String, String> blockingConnection,
                        StatefulRedisConnection<String, String> commandConnection, String consumer, Duration claimIdle) {
        this.blockingConnection = blockingConnection;
        this.blocking = blockingConnection.sync();
        this.commands = commandConnection.sync();
        this.consumer = Consumer.from(GROUP, consumer);
        this.claimIdle = claimIdle;
    }

    /** Starts reading a result stream (creating the group from id 0, so no earlier result is missed). */
    public void watch(String stream) {
        synchronized (this) {
            if (streams.contains(stream)) {
                return;
            }
            ConsumerGroups.ensure(commands, stream, GROUP);
            streams.add(stream);
            unreadBacklog.add(stream);
            version++;
            notifyAll();
        }
        wakeBlockedRead();
    }

    public synchronized boolean isWatching(String stream) {
        return streams.contains(stream);
    }

    /**
     * This reader alone reads for the group from now on (it won the operator's Lease): the next {@link #read} claims
     * at once every result any reader of the group left unacknowledged, on every result stream in Redis, watched or
     * not, so none waits for {@code claimIdle} and none stays pending for good.
     */
    public void takeOver() {
        takeOver(stream -> true);
    }

    /**
     * As {@link #takeOver()}, on the result streams {@code streams} accepts only (a shard's: the other shards' readers
     * keep theirs).
     */
    public void takeOver(Predicate<String> streams) {
        synchronized (this) {
            takeOverStreams = takeOverStreams.or(streams);
            notifyAll();
        }
        wakeBlockedRead();
    }

    /** How many times groups were found missing and created again: a change means Redis lost its data. */
    public long groupsRecreated() {
        return groupsRecreated.get();
    }

    /**
     * New results (and, once per stream, the ones delivered before but never acknowledged; and those claimed from
     * consumers that are gone), oldest first. Waits up to {@code block} when there are none.
     */
    public List<ResultDelivery> read(int count, Duration block) {
        List<String> backlog;
        List<String> all;
        long seen;
        Predicate<String> takingOver;
        synchronized (this) {
            if (streams.isEmpty() && !takeOverDue()) {
                waitForAStream(block);
            }
            takingOver = takeOverDue() ? takeOverStreams : null;
            if (streams.isEmpty() && takingOver == null) {
                return List.of();
            }
            backlog = List.copyOf(unreadBacklog);
            unreadBacklog.clear();
            all = List.copyOf(streams);
            seen = version;
        }
        try {
            List<ResultDelivery> results = new ArrayList<>();
            if (takingOver != null) {
                claimEverywhere(takingOver, count, results);
                synchronized (this) {
                    if (takeOverStreams == takingOver) {
                        takeOverStreams = NONE_TAKEN_OVER; // a takeover asked for meanwhile waits for the next read
                    }
                }
            }
            for (String stream : backlog) {
                collect(stream, blocking.xreadgroup(consumer, XReadArgs.Builder.count(count),
                        StreamOffset.from(stream, "0")), results);
            }
            if (System.nanoTime() - nextClaimAtNanos >= 0) {
                nextClaimAtNanos = System.nanoTime() + claimInterval().toNanos();
                for (String stream : all) {
                    claim(stream, count, results);
                }
            }
            if (!results.isEmpty() || all.isEmpty()) {
                return results;
            }
            return blockingRead(all, seen, count, min(block, Duration.ofNanos(Math.max(1_000_000,
                    nextClaimAtNanos - System.nanoTime()))));
        } catch (RuntimeException e) {
            if (!ConsumerGroups.isMissingGroup(e)) {
                throw e;
            }
            recreateGroups(all);
            return List.of();
        }
    }

    public void ack(ResultDelivery delivery) {
        commands.xack(delivery.stream(), GROUP, delivery.id());
    }

    /** Ends a read that is waiting, e.g. to stop the reading thread. */
    public void wakeUp() {
        synchronized (this) {
            notifyAll();
        }
        wakeBlockedRead();
    }

    private List<ResultDelivery> blockingRead(List<String> all, long seen, int count, Duration block) {
        @SuppressWarnings("unchecked")
        StreamOffset<String>[] offsets = all.stream().map(StreamOffset::lastConsumed).toArray(StreamOffset[]::new);
        blockedClient = blocking.clientId();
        synchronized (this) {
            if (version != seen) {
                blockedClient = null;
                return List.of(); // a stream was added since the snapshot: read again with it
            }
        }
        List<StreamMessage<String, String>> messages;
        try {
            messages = blocking.xreadgroup(consumer, XReadArgs.Builder.count(count).block(block), offsets);
        } finally {
            blockedClient = null;
        }
        List<ResultDelivery> results = new ArrayList<>();
        for (StreamMessage<String, String> message : messages == null ? List.<StreamMessage<String, String>>of() : messages) {
            results.add(ResultDelivery.of(message.getStream(), message.getId(), message.getBody()));
        }
        return results;
    }

    /** Takes over results another consumer of the group read and left unacknowledged for longer than claimIdle. */
    private void claim(String stream, int count, List<ResultDelivery> into) {
        ClaimedMessages<String, String> claimed = commands.xautoclaim(stream,
                XAutoClaimArgs.Builder.<String>xautoclaim(consumer, claimIdle, "0-0").count(count));
        collect(stream, claimed.getMessages(), into);
    }

    private boolean takeOverDue() {
        return takeOverStreams != NONE_TAKEN_OVER;
    }

    /** Claims, whatever their idle time, the group's pending results on every result stream in Redis it accepts. */
    private void claimEverywhere(Predicate<String> accepted, int count, List<ResultDelivery> into) {
        ScanIterator<String> keys = ScanIterator.scan(commands,
                KeyScanArgs.Builder.type("stream").match("*" + Names.results("")).limit(1000));
        while (keys.hasNext()) {
            String stream = keys.next();
            if (!accepted.test(stream)) {
                continue;
            }
            String from = "0-0";
            try {
                do {
                    ClaimedMessages<String, String> claimed = commands.xautoclaim(stream,
                            XAutoClaimArgs.Builder.<String>xautoclaim(consumer, Duration.ZERO, from).count(count));
                    collect(stream, claimed.getMessages(), into);
                    from = claimed.getId();
                } while (!"0-0".equals(from));
            } catch (RedisCommandExecutionException e) {
                if (!ConsumerGroups.isMissingGroup(e)) {
                    throw e;
                }
                // a stream the operator never read: none of its results are the operator's
            }
        }
    }

    private void recreateGroups(List<String> all) {
        for (String stream : all) {
            ConsumerGroups.ensure(commands, stream, GROUP);
        }
        synchronized (this) {
            // entries delivered to us before the loss are gone with it; nothing of ours is pending any more
            unreadBacklog.clear();
        }
        groupsRecreated.incrementAndGet();
    }

    /** A blocked XREADGROUP returns at once, as if its time were up, so the next read includes every stream. */
    private void wakeBlockedRead() {
        Long client = blockedClient;
        if (client != null && blockingConnection.isOpen()) {
            try {
                commands.clientUnblock(client, UnblockType.TIMEOUT);
            } catch (RuntimeException e) {
                // the read ends by itself within its block time
            }
        }
    }

    private void waitForAStream(Duration block) {
        try {
            wait(Math.max(1, block.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Duration claimInterval() {
        return min(claimIdle.dividedBy(2), Duration.ofSeconds(10)).plusMillis(1);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void collect(String stream, List<StreamMessage<String, String>> messages, List<ResultDelivery> into) {
        for (StreamMessage<String, String> message : messages) {
            if (message.getBody() != null && !message.getBody().isEmpty()) {
                into.add(ResultDelivery.of(stream, message.getId(), message.getBody()));
            } else {
                // trimmed while pending: nothing to deliver, and it must not come back on every read
                commands.xack(stream, GROUP, message.getId());
            }
        }
    }
}
