package dev.arkonis.ark.queue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A model's circuit in Redis, shared by every agent that uses the model: a hash {@code <prefix>:circuit} with the
 * consecutive failures, when it may next be probed (ms, Redis's clock) and why it opened; and
 * {@code <prefix>:circuit:probe}, held by the one caller trying the provider again. A success deletes both (closed
 * for all). Everything expires, so a circuit nobody touches closes by itself.
 */
public final class ModelCircuits {
    /** Consecutive failures that open the circuit. */
    public static final int THRESHOLD = 3;
    /** How long an open circuit refuses calls before one probe may go. */
    public static final Duration COOL_DOWN = Duration.ofSeconds(30);
    private static final long EXPIRY_MS = Duration.ofMinutes(10).toMillis();

    /**
     * KEYS[1] circuit, KEYS[2] probe; ARGV[1] threshold, ARGV[2] cool-down ms. Returns {"closed"}, {"probe"} (this
     * caller may try), or {"open", reason, ms until a probe may go}.
     */
    private static final LuaScript ASK = new LuaScript("""
            local state = redis.call('HMGET', KEYS[1], 'failures', 'openUntil', 'reason')
            local failures = tonumber(state[1] or '0')
            if failures < tonumber(ARGV[1]) then return {'closed'} end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local openUntil = tonumber(state[2] or '0')
            if now < openUntil then return {'open', state[3] or '', tostring(openUntil - now)} end
            if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {'probe'} end
            return {'open', state[3] or '', '0'}
            """, ScriptOutputType.MULTI);

    /** KEYS[1] circuit, KEYS[2] probe; ARGV[1] threshold, ARGV[2] cool-down ms, ARGV[3] reason, ARGV[4] expiry ms. */
    private static final LuaScript FAIL = new LuaScript("""
            local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            if failures >= tonumber(ARGV[1]) then
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
              redis.call('HSET', KEYS[1], 'openUntil', string.format('%d', now + tonumber(ARGV[2])), 'reason',
                string.sub(ARGV[3], 1, 300))
              redis.call('DEL', KEYS[2])
            end
            return failures
            """, ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;
    private final Duration coolDown;

    public ModelCircuits(StatefulRedisConnection<String, String> connection) {
        this(connection, COOL_DOWN);
    }

    /** @param coolDown how long an open circuit refuses calls (tests shorten it) */
    public ModelCircuits(StatefulRedisConnection<String, String> connection, Duration coolDown) {
        this.redis = connection.sync();
        this.coolDown = coolDown;
    }

    /** Why a call to the model must not go now, or empty when it may (closed, or this caller probes). */
    public Optional<String> refusal(ModelKeys keys) {
        List<Object> reply = ASK.run(redis, new String[] {keys.circuit(), keys.probe()}, Integer.toString(THRESHOLD),
                Long.toString(coolDown.toMillis()));
        String state = String.valueOf(reply.get(0));
        if (!"open".equals(state)) {
            return Optional.empty();
        }
        String reason = String.valueOf(reply.get(1));
        long probeIn = Long.parseLong(String.valueOf(reply.get(2)));
        return Optional.of("circuit open after " + THRESHOLD + " failed calls" + (reason.isEmpty() ? "" : " (last: "
                + reason + ")") + (probeIn > 0 ? "; tried again in " + (probeIn + 999) / 1000 + "s" : "; being probed"));
    }

    /** A call succeeded: the circuit closes for everyone. */
    public void succeeded(ModelKeys keys) {
        redis.del(keys.circuit(), keys.probe());
    }

    /** A call failed after its retries. */
    public void failed(ModelKeys keys, String reason) {
        FAIL.run(redis, new String[] {keys.circuit(), keys.probe()}, Integer.toString(THRESHOLD),
                Long.toString(coolDown.toMillis()), reason == null ? "" : reason, Long.toString(EXPIRY_MS));
    }
}
