package dev.arkonis.ark.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One agent's side of a role's stream: reads and reclaims tasks, keeps its claims, finishes
 * tasks (result + ack in one script) and removes consumers of agents that are gone.
 */
public final class TaskConsumer {
    /**
     * KEYS[1] task stream, KEYS[2..n] streams to add one entry each to.
     * ARGV[1] group, ARGV[2] entry id, then per target: maxlen, field count, fields...
     * Acknowledges first and writes nothing when the entry was already acknowledged, so a
     * task finished twice (reclaimed from a slow agent) yields exactly one result.
     * Then trims the task stream below its oldest pending entry: everything older is done.
     */
    private static final LuaScript FINISH = new LuaScript("""
            if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            local i = 3
            for k = 2, #KEYS do
              local args = {'XADD', KEYS[k], 'MAXLEN', '~', ARGV[i], '*'}
              local n = tonumber(ARGV[i + 1])
              for j = 0, n - 1 do args[#args + 1] = ARGV[i + 2 + j] end
              i = i + 2 + n
              redis.call(unpack(args))
            end
            local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
            local floor = ARGV[2]
            if pending[1] > 0 then floor = pending[2] end
            redis.call('XTRIM', KEYS[1], 'MINID', floor)
            return 1
            """, ScriptOutputType.INTEGER);

    /** KEYS[1] task stream, KEYS[2] the consumer's heartbeat; ARGV[1] group, ARGV[2] consumer. */
    private static final LuaScript REMOVE_IF_GONE = new LuaScript("""
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS[1] task stream, KEYS[2] the task's sent marker; ARGV[1] group, ARGV[2] entry id, ARGV[3..] fields.
     * Gives a task back unstarted: acknowledged and added again at the end of the stream, with the sent marker (if
     * any) pointing to the new entry, so withdrawing it still works. Nothing happens if it was no longer pending here.
     */
    private static final LuaScript REQUEUE = new LuaScript("""
            if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return false end
            local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
            if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('SET', KEYS[2], id, 'KEEPTTL') end
            return id
            """, ScriptOutputType.VALUE);

    private final RedisCommands<String, String> redis;
    private final RedisCommands<String, String> blockingRedis;
    private final RoleKeys keys;
    private final String consumerName;
    private final Consumer<String> consumer;
    private final StreamLimits limits;
    private String reclaimCursor = "0-0";

    /**
     * @param connection shared connection for short commands
     * @param blocking   dedicated connection for the blocking read, so it never stalls the others
     */
    public TaskConsumer(StatefulRedisConnection<String, String> connection,
                        StatefulRedisConnection<String, String> blocking,
                        RoleKeys keys, String consumerName, StreamLimits limits) {
        this.redis = connection.sync();
        this.blockingRedis = blocking.sync();
        this.keys = keys;
        this.consumerName = consumerName;
        this.consumer = Consumer.from(RoleKeys.GROUP, consumerName);
        this.limits = limits;
    }

    public RoleKeys keys() {
        return keys;
    }

    public String consumerName() {
        return consumerName;
    }

    /**
     * Creates the group if needed (BUSYGROUP is fine) and this consumer in it, so an idle agent
     * is listed by XINFO CONSUMERS too (Redis before 7 creates consumers only when they get entries).
     */
    public void joinGroup() {
        ConsumerGroups.ensure(redis, keys.stream());
        redis.xgroupCreateconsumer(keys.stream(), consumer);
    }

    /** New tasks for this consumer, at most {@code max}, waiting up to {@code block} for the first. */
    public List<Delivery> read(int max, Duration block) {
        List<StreamMessage<String, String>> messages;
        try {
            messages = blockingRedis.xreadgroup(consumer, XReadArgs.Builder.count(max).block(block),
                    StreamOffset.lastConsumed(keys.stream()));
        } catch (RuntimeException e) {
            if (!ConsumerGroups.isMissingGroup(e)) {
                throw e;
            }
            // the group vanished (Redis restarted without persistence): recreate it from 0
            joinGroup();
            return List.of();
        }
        List<Delivery> deliveries = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            deliveries.add(new Delivery(message.getId(), bodyOf(message), 1));
        }
        return deliveries;
    }

    /**
     * Takes over at most {@code max} entries idle longer than {@code minIdle} (their consumer
     * died or lost contact), with their delivery counts. Continues where the last call stopped.
     */
    public List<Delivery> reclaim(Duration minIdle, int max) {
        ClaimedMessages<String, String> claimed = redis.xautoclaim(keys.stream(),
                XAutoClaimArgs.Builder.<String>xautoclaim(consumer, minIdle, reclaimCursor).count(max));
        reclaimCursor = claimed.getId() == null ? "0-0" : claimed.getId();
        List<Delivery> deliveries = new ArrayList<>();
        for (StreamMessage<String, String> message : claimed.getMessages()) {
            List<PendingMessage> pending = redis.xpending(keys.stream(), consumer,
                    Range.create(message.getId(), message.getId()), Limit.from(1));
            long count = pending.isEmpty() ? 1 : pending.get(0).getRedeliveryCount();
            deliveries.add(new Delivery(message.getId(), bodyOf(message), count));
        }
        return deliveries;
    }

    /** Entries in the role's stream, as {@code XLEN} counts them. */
    public long length() {
        return redis.xlen(keys.stream());
    }

    /** Tasks the agents' group holds delivered but not acknowledged, as {@code XPENDING} counts them. */
    public long pending() {
        return redis.xpending(keys.stream(), RoleKeys.GROUP).getCount();
    }

    /** Resets the idle time of entries this agent still works on; returns the ids it still holds. */
    public Set<String> renew(Collection<String> entryIds) {
        if (entryIds.isEmpty()) {
            return Set.of();
        }
        List<StreamMessage<String, String>> kept = redis.xclaim(keys.stream(), consumer,
                XClaimArgs.Builder.justid().minIdleTime(0), entryIds.toArray(String[]::new));
        return kept.stream().map(StreamMessage::getId).collect(Collectors.toSet());
    }

    /** Writes the result and acknowledges the task atomically; false when it was already acknowledged. */
    public boolean finish(Delivery delivery, String replyTo, TaskResult result) {
        return runFinish(delivery, List.of(replyTo), List.of(limits.replyMaxLen()), List.of(result.toFields()));
    }

    /**
     * Moves the task to the dead-letter stream (original fields, {@code reason}, {@code deliveries}),
     * writes the failed result when the task names a reply stream, and acknowledges: atomically.
     */
    public boolean deadLetter(Delivery delivery, String reason, String replyTo, TaskResult result) {
        Map<String, String> dead = new LinkedHashMap<>(delivery.fields());
        dead.put("reason", reason);
        dead.put("deliveries", Long.toString(delivery.deliveries()));
        if (replyTo == null) {
            return runFinish(delivery, List.of(keys.dead()), List.of(limits.deadMaxLen()), List.of(dead));
        }
        return runFinish(delivery, List.of(keys.dead(), replyTo),
                List.of(limits.deadMaxLen(), limits.replyMaxLen()), List.of(dead, result.toFields()));
    }

    /** Puts a task this agent read but will not start back in the queue, for whoever can take it later. */
    public boolean requeue(Delivery delivery) {
        String task = delivery.fields().getOrDefault(TaskMessage.TASK, "");
        List<String> args = new ArrayList<>();
        args.add(RoleKeys.GROUP);
        args.add(delivery.entryId());
        delivery.fields().forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        String id = REQUEUE.run(redis, new String[] {keys.stream(), TaskQueue.sentMarker(keys.stream(), task)},
                args.toArray(String[]::new));
        return id != null;
    }

    /** Marks this agent alive for {@code ttl}; consumers without this mark may be removed. */
    public void heartbeat(Duration ttl) {
        redis.set(keys.heartbeat(consumerName), "1", SetArgs.Builder.px(ttl.toMillis()));
        try {
            // idempotent; brings the consumer back if it was removed while this agent was cut off
            redis.xgroupCreateconsumer(keys.stream(), consumer);
        } catch (RuntimeException e) {
            if (!ConsumerGroups.isMissingGroup(e)) {
                throw e;
            }
            joinGroup();
        }
    }

    /** Removes consumers of the group that have no heartbeat and hold no pending entries; returns their names. */
    public List<String> removeGoneConsumers() {
        List<String> removed = new ArrayList<>();
        for (Object info : redis.xinfoConsumers(keys.stream(), RoleKeys.GROUP)) {
            Map<String, Object> consumerInfo = pairs(info);
            String name = String.valueOf(consumerInfo.get("name"));
            Object pending = consumerInfo.get("pending");
            if (name.equals(consumerName) || !(pending instanceof Long count) || count != 0) {
                continue;
            }
            if (removeIfGone(name)) {
                removed.add(name);
            }
        }
        return removed;
    }

    /** On graceful exit: drops the heartbeat and, when nothing is left pending, this consumer. */
    public void leave() {
        redis.del(keys.heartbeat(consumerName));
        removeIfGone(consumerName);
    }

    private boolean removeIfGone(String name) {
        Long removed = REMOVE_IF_GONE.run(redis, new String[] {keys.stream(), keys.heartbeat(name)},
                RoleKeys.GROUP, name);
        return removed != null && removed == 1;
    }

    private boolean runFinish(Delivery delivery, List<String> targets, List<Long> maxLens,
                              List<Map<String, String>> entries) {
        String[] scriptKeys = new String[targets.size() + 1];
        scriptKeys[0] = keys.stream();
        List<String> args = new ArrayList<>();
        args.add(RoleKeys.GROUP);
        args.add(delivery.entryId());
        for (int i = 0; i < targets.size(); i++) {
            scriptKeys[i + 1] = targets.get(i);
            Map<String, String> fields = entries.get(i);
            args.add(Long.toString(maxLens.get(i)));
            args.add(Integer.toString(fields.size() * 2));
            fields.forEach((key, value) -> {
                args.add(key);
                args.add(value);
            });
        }
        Long acked = FINISH.run(redis, scriptKeys, args.toArray(String[]::new));
        return acked != null && acked == 1;
    }

    private static Map<String, String> bodyOf(StreamMessage<String, String> message) {
        return message.getBody() == null ? Map.of() : message.getBody();
    }

    private static Map<String, Object> pairs(Object info) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (info instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return map;
    }
}
