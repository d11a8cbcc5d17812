package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.TokenUsage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A role's token spending in Redis, by minute of Redis's own clock (so agents and operator
 * with skewed clocks agree): hash {@code <key>.tokens} with fields {@code <minute>:in} and
 * {@code <minute>:out} (minute = epoch seconds / 60), and sorted set {@code <key>.tokens.minutes}
 * of the minutes present. Minutes older than the retention (24 h) are pruned on every record.
 * Reading a window costs at most one step per minute in it, whatever the number of calls.
 */
public final class TokenLedger {
    public static final Duration RETENTION = Duration.ofHours(24);

    /** KEYS[1] hash, KEYS[2] minutes; ARGV[1] retention ms, ARGV[2] input, ARGV[3] output. */
    private static final LuaScript RECORD = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local minute = math.floor(now / 60000)
            redis.call('HINCRBY', KEYS[1], minute .. ':in', ARGV[2])
            redis.call('HINCRBY', KEYS[1], minute .. ':out', ARGV[3])
            redis.call('ZADD', KEYS[2], minute, minute)
            local keep = math.floor((now - tonumber(ARGV[1])) / 60000)
            local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep)
            for _, m in ipairs(old) do
              redis.call('HDEL', KEYS[1], m .. ':in', m .. ':out')
            end
            if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep) end
            return minute
            """, ScriptOutputType.INTEGER);

    /** KEYS[1] hash, KEYS[2] minutes; ARGV[1] window ms. Returns {in, out, oldest minute or -1, now ms}. */
    private static final LuaScript WINDOW = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local first = math.floor((now - tonumber(ARGV[1])) / 60000)
            local minutes = redis.call('ZRANGEBYSCORE', KEYS[2], first, '+inf')
            local input, output = 0, 0
            for _, m in ipairs(minutes) do
              local i = redis.call('HGET', KEYS[1], m .. ':in')
              local o = redis.call('HGET', KEYS[1], m .. ':out')
              if i then input = input + tonumber(i) end
              if o then output = output + tonumber(o) end
            end
            local oldest = -1
            if #minutes > 0 then oldest = tonumber(minutes[1]) end
            return {input, output, oldest, now}
            """, ScriptOutputType.MULTI);

    private final RedisCommands<String, String> redis;
    private final RoleKeys keys;

    public TokenLedger(StatefulRedisConnection<String, String> connection, RoleKeys keys) {
        this.redis = connection.sync();
        this.keys = keys;
    }

    /** Adds the tokens of these LLM calls to the current minute; nothing happens for no calls. */
    public void record(Collection<TokenUsage> calls) {
        if (calls.isEmpty()) {
            return;
        }
        TokenUsage sum = calls.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
        RECORD.run(redis, ledgerKeys(), Long.toString(RETENTION.toMillis()),
                Long.toString(sum.inputTokens()), Long.toString(sum.outputTokens()));
    }

    /** Tokens recorded in the window ending now; windows longer than the retention see only the retention. */
    public WindowUsage windowUsage(Duration window) {
        List<Object> reply = WINDOW.run(redis, ledgerKeys(), Long.toString(window.toMillis()));
        List<Long> values = new ArrayList<>();
        for (Object value : reply) {
            values.add((Long) value);
        }
        long oldest = values.get(2);
        return new WindowUsage(TokenUsage.of(values.get(0), values.get(1)),
                oldest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(oldest * 60)),
                Instant.ofEpochMilli(values.get(3)));
    }

    private String[] ledgerKeys() {
        return new String[] {keys.tokens(), keys.tokenMinutes()};
    }
}
