package dev.arkonis.ark.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dispatcher's view of result streams, through its own consumer group: each result is delivered until it is
 * acknowledged, so one that arrived while the dispatcher was down is read after it restarts. Reading costs what the
 * new results cost, never the streams' history. Not thread-safe: one reading thread.
 */
public final class ResultReader {
    /** The operator's consumer group on every result stream. */
    public static final String GROUP = "ark-operator";

    private final RedisCommands<String, String> blocking;
    private final RedisCommands<String, String> commands;
    private final String consumer;
    private final Set<String> streams = new LinkedHashSet<>();
    private final Set<String> unreadBacklog = new LinkedHashSet<>();

    /** @param blockingConnection held while waiting for results; {@code commandConnection} acknowledges */
    public ResultReader(StatefulRedisConnection<String, String> blockingConnection,
                        StatefulRedisConnection<String, String> commandConnection, String consumer) {
        this.blocking = blockingConnection.sync();
        this.commands = commandConnection.sync();
        this.consumer = consumer;
    }

    /** Starts reading a result stream (creating the group from id 0, so no earlier result is missed). */
    public synchronized void watch(String stream) {
        if (streams.add(stream)) {
            ConsumerGroups.ensure(commands, stream, GROUP);
            unreadBacklog.add(stream);
        }
    }

    public synchronized boolean isWatching(String stream) {
        return streams.contains(stream);
    }

    /** New results (and, once per stream, the ones delivered before but never acknowledged), oldest first. */
    public List<ResultDelivery> read(int count, Duration block) {
        List<ResultDelivery> results = new ArrayList<>();
        List<String> backlog;
        List<String> all;
        synchronized (this) {
            backlog = List.copyOf(unreadBacklog);
            unreadBacklog.clear();
            all = List.copyOf(streams);
        }
        for (String stream : backlog) {
            collect(stream, blocking.xreadgroup(Consumer.from(GROUP, consumer), XReadArgs.Builder.count(count),
                    StreamOffset.from(stream, "0")), results);
        }
        if (!results.isEmpty() || all.isEmpty()) {
            return results;
        }
        @SuppressWarnings("unchecked")
        StreamOffset<String>[] offsets = all.stream().map(StreamOffset::lastConsumed).toArray(StreamOffset[]::new);
        List<StreamMessage<String, String>> messages = blocking.xreadgroup(Consumer.from(GROUP, consumer),
                XReadArgs.Builder.count(count).block(block), offsets);
        for (StreamMessage<String, String> message : messages == null ? List.<StreamMessage<String, String>>of() : messages) {
            results.add(new ResultDelivery(message.getStream(), message.getId(), TaskResult.fromFields(message.getBody())));
        }
        return results;
    }

    public void ack(ResultDelivery delivery) {
        commands.xack(delivery.stream(), GROUP, delivery.id());
    }

    private static void collect(String stream, List<StreamMessage<String, String>> messages, List<ResultDelivery> into) {
        for (StreamMessage<String, String> message : messages) {
            if (message.getBody() != null && !message.getBody().isEmpty()) {
                into.add(new ResultDelivery(stream, message.getId(), TaskResult.fromFields(message.getBody())));
            }
        }
    }
}
