package dev.arkonis.ark.queue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * A model's shared rate limits in Redis, as GCRA (generic cell rate algorithm) with reservations: each bucket is one
 * key holding the time (ms, Redis's clock) from which the next unit is due; a call takes its place in line at once
 * and is told how long to wait, so callers neither poll nor stampede. A bucket holds {@value #BURST_SECONDS} seconds'
 * worth of its per-minute limit, as providers' own buckets do (they refill continuously up to the per-minute
 * maximum): a quiet bucket lets that much through at once and a busy one paces calls evenly at the limit. A provider
 * that allows less at once answers 429; its Retry-After then pauses every caller and the bucket starts empty.
 * Every value written is clamped to {@value #MAX_AHEAD_MS} ms ahead of now: whoever writes a bucket (a hostile
 * agent too) can stall that bucket's calls for at most that long per write, and the keys expire when unused.
 */
public final class ModelBuckets {
    static final int BURST_SECONDS = 60;
    static final long MAX_AHEAD_MS = 300_000;

    /**
     * KEYS[1] requests bucket, KEYS[2] tokens bucket. ARGV[1] requests per minute (0: none), ARGV[2] tokens per
     * minute (0: none), ARGV[3] tokens of this call, ARGV[4] longest acceptable wait ms, ARGV[5] burst seconds,
     * ARGV[6] clamp ms. Returns the wait in ms (a place was taken) or -1 - wait (none was: it would wait too long).
     */
    private static final LuaScript RESERVE = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local burst = tonumber(ARGV[5])
            local ahead = tonumber(ARGV[6])
            local plan = {}
            local wait = 0
            local function bucket(key, perMinute, cost)
              if perMinute <= 0 or cost <= 0 then return end
              local interval = 60000 / perMinute
              local tolerance = math.max(1, perMinute * burst / 60) * interval
              local tat = tonumber(redis.call('GET', key) or '0')
              if tat < now then tat = now end
              local newTat = tat + cost * interval
              local allowAt = newTat - tolerance
              if allowAt - now > wait then wait = allowAt - now end
              plan[#plan + 1] = {key, newTat}
            end
            bucket(KEYS[1], tonumber(ARGV[1]), 1)
            bucket(KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]))
            wait = math.ceil(wait)
            if wait > tonumber(ARGV[4]) then return -1 - wait end
            for _, p in ipairs(plan) do
              local value = math.min(p[2], now + ahead)
              redis.call('SET', p[1], string.format('%d', math.ceil(value)), 'PX', math.ceil(value - now) + 60000)
            end
            return wait
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS[1] requests bucket, KEYS[2] tokens bucket; ARGV[1] tokens to give back (negative: to take more), ARGV[2]
     * tokens per minute, ARGV[3] clamp ms.
     */
    private static final LuaScript SETTLE = new LuaScript("""
            local perMinute = tonumber(ARGV[2])
            if perMinute <= 0 then return 0 end
            local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
            if tat == 0 then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local value = math.min(tat - tonumber(ARGV[1]) * 60000 / perMinute, now + tonumber(ARGV[3]))
            if value <= now then redis.call('DEL', KEYS[2]) return 0 end
            redis.call('SET', KEYS[2], string.format('%d', math.ceil(value)), 'PX', math.ceil(value - now) + 60000)
            return 1
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS: the buckets; ARGV[1] pause ms, ARGV[2] requests per minute, ARGV[3] tokens per minute, ARGV[4] burst
     * seconds, ARGV[5] clamp ms. After the pause each bucket starts empty: the provider's own quota was just spent.
     */
    private static final LuaScript PAUSE = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local pause = math.min(tonumber(ARGV[1]), tonumber(ARGV[5]))
            local limits = {tonumber(ARGV[2]), tonumber(ARGV[3])}
            for i, key in ipairs(KEYS) do
              local perMinute = limits[i]
              if perMinute > 0 then
                local tolerance = math.max(1, perMinute * tonumber(ARGV[4]) / 60) * 60000 / perMinute
                local value = math.min(now + pause + tolerance, now + tonumber(ARGV[5]))
                local tat = tonumber(redis.call('GET', key) or '0')
                if value > tat then
                  redis.call('SET', key, string.format('%d', math.ceil(value)), 'PX', math.ceil(value - now) + 60000)
                end
              end
            end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;

    public ModelBuckets(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    /**
     * A place in line for one call of {@code tokens} tokens.
     *
     * @param requestsPerMinute 0 for no request limit
     * @param tokensPerMinute   0 for no token limit
     * @return the wait before the call (a place was taken), or null when it would be longer than {@code maxWait}
     */
    public Duration reserve(ModelKeys keys, int requestsPerMinute, long tokensPerMinute, long tokens, Duration maxWait) {
        long reply = RESERVE.<Long>run(redis, new String[] {keys.requests(), keys.tokens()},
                Integer.toString(requestsPerMinute), Long.toString(tokensPerMinute), Long.toString(Math.max(0, tokens)),
                Long.toString(Math.max(0, maxWait.toMillis())), Integer.toString(BURST_SECONDS),
                Long.toString(MAX_AHEAD_MS));
        return reply < 0 ? null : Duration.ofMillis(reply);
    }

    /** The call used {@code actual} tokens where {@code estimated} were reserved. */
    public void settle(ModelKeys keys, long tokensPerMinute, long estimated, long actual) {
        if (tokensPerMinute <= 0 || estimated == actual) {
            return;
        }
        SETTLE.run(redis, new String[] {keys.requests(), keys.tokens()}, Long.toString(estimated - actual),
                Long.toString(tokensPerMinute), Long.toString(MAX_AHEAD_MS));
    }

    /** No call of anyone's before {@code pause} has passed; then both buckets start empty. */
    public void pause(ModelKeys keys, int requestsPerMinute, long tokensPerMinute, Duration pause) {
        PAUSE.run(redis, new String[] {keys.requests(), keys.tokens()}, Long.toString(Math.max(0, pause.toMillis())),
                Integer.toString(requestsPerMinute), Long.toString(tokensPerMinute), Integer.toString(BURST_SECONDS),
                Long.toString(MAX_AHEAD_MS));
    }
}
