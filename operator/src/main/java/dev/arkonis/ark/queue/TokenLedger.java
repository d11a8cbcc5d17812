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
 * with skewed clocks agree): hash {@code <key>.tokens} with fields {@code <minute>:in},
 * {@code <minute>:out} and, for calls whose prices were known, {@code <minute>:usd} (billionths of a US dollar)
 * (minute = epoch seconds / 60), and sorted set {@code <key>.tokens.minutes}
 * of the minutes present. Minutes older than the retention (24 h) are pruned on every record.
 * Reading a window costs at most one step per minute in it, whatever the number of calls.
 */
public final class TokenLedger {
    public static final Duration RETENTION = Duration.ofHours(24);
    /** Buckets per window: reading a window's sum costs at most this many hash reads, however many calls it holds. */
    private static final int BUCKETS = 1440;

    /**
     * KEYS[1] hash, KEYS[2] buckets; ARGV[1] window ms, ARGV[2] input, ARGV[3] output, ARGV[4] bucket ms, ARGV[5] cost
     * in billionths of a dollar (0: none known).
     */
    private static final LuaScript RECORD = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local size = tonumber(ARGV[4])
            local bucket = math.floor(now / size)
            redis.call('HINCRBY', KEYS[1], bucket .. ':in', ARGV[2])
            redis.call('HINCRBY', KEYS[1], bucket .. ':out', ARGV[3])
            if tonumber(ARGV[5]) > 0 then redis.call('HINCRBY', KEYS[1], bucket .. ':usd', ARGV[5]) end
            redis.call('ZADD', KEYS[2], bucket, bucket)
            local keep = math.floor((now - tonumber(ARGV[1])) / size)
            local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep)
            for _, m in ipairs(old) do
              redis.call('HDEL', KEYS[1], m .. ':in', m .. ':out', m .. ':usd')
            end
            if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep) end
            return bucket
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS[1] hash, KEYS[2] buckets; ARGV[1] window ms, ARGV[2] bucket ms, ARGV[3] token limit (0 = none), ARGV[4] cost
     * limit in billionths of a dollar (0 = none). Returns {in, out, oldest bucket or -1, now ms, ms when usage drops
     * below both limits or -1, cost in billionths of a dollar}.
     */
    private static final LuaScript WINDOW = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local size = tonumber(ARGV[2])
            local window = tonumber(ARGV[1])
            local first = math.floor((now - window) / size)
            local buckets = redis.call('ZRANGEBYSCORE', KEYS[2], first, '+inf')
            local input, output, usd = 0, 0, 0
            local totals, costs = {}, {}
            for i, m in ipairs(buckets) do
              local a = tonumber(redis.call('HGET', KEYS[1], m .. ':in') or '0')
              local b = tonumber(redis.call('HGET', KEYS[1], m .. ':out') or '0')
              local c = tonumber(redis.call('HGET', KEYS[1], m .. ':usd') or '0')
              input = input + a
              output = output + b
              usd = usd + c
              totals[i] = a + b
              costs[i] = c
            end
            local oldest = -1
            if #buckets > 0 then oldest = tonumber(buckets[1]) end
            local limit = tonumber(ARGV[3])
            local costLimit = tonumber(ARGV[4])
            local frees = -1
            local tokens, cost = input + output, usd
            local function below() return (limit <= 0 or tokens < limit) and (costLimit <= 0 or cost < costLimit) end
            if not below() then
              for i, m in ipairs(buckets) do
                tokens = tokens - totals[i]
                cost = cost - costs[i]
                if below() then
                  frees = (tonumber(m) + 1) * size + window
                  break
                end
              end
            end
            return {input, output, oldest, now, frees, usd}
            """, ScriptOutputType.MULTI);

    private final RedisCommands<String, String> redis;
    private final RoleKeys keys;
    private final Duration window;
    private final long bucketMillis;

    /** A ledger over the rolling 24 h window. */
    public TokenLedger(StatefulRedisConnection<String, String> connection, RoleKeys keys) {
        this(connection, keys, RETENTION);
    }

    /** A ledger over a rolling window of another length (tests shorten it to watch it rotate). */
    public TokenLedger(StatefulRedisConnection<String, String> connection, RoleKeys keys, Duration window) {
        this.redis = connection.sync();
        this.keys = keys;
        this.window = window;
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
    }

    /** Adds the tokens of these LLM calls to the current bucket (Redis's clock); nothing happens for no calls. */
    public void record(Collection<TokenUsage> calls) {
        if (calls.isEmpty()) {
            return;
        }
        TokenUsage sum = calls.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
        RECORD.run(redis, ledgerKeys(), Long.toString(window.toMillis()),
                Long.toString(sum.inputTokens()), Long.toString(sum.outputTokens()), Long.toString(bucketMillis),
                Long.toString(sum.costUSD() == null ? 0 : TokenBudget.toNanos(sum.costUSD())));
    }

    /** Tokens recorded in the ledger's window, ending now. */
    public WindowUsage usage() {
        return read(window, 0, 0);
    }

    /** Tokens recorded in a window ending now; windows longer than the ledger's see only the ledger's. */
    public WindowUsage windowUsage(Duration of) {
        return read(of, 0, 0);
    }

    /** Usage in the ledger's window, and when it next drops below {@code limit} if it is not below it now. */
    public WindowUsage usageAgainst(long limit) {
        return read(window, limit, 0);
    }

    /** Usage in the ledger's window, and when it next drops below both of the budget's limits if it is not now. */
    public WindowUsage usageAgainst(TokenBudget budget) {
        return read(window, budget.limit(), budget.costLimitNanos());
    }

    public Duration window() {
        return window;
    }

    private WindowUsage read(Duration of, long limit, long costLimitNanos) {
        List<Object> reply = WINDOW.run(redis, ledgerKeys(), Long.toString(of.toMillis()), Long.toString(bucketMillis),
                Long.toString(limit), Long.toString(costLimitNanos));
        List<Long> values = new ArrayList<>();
        for (Object value : reply) {
            values.add((Long) value);
        }
        long oldest = values.get(2);
        long frees = values.get(4);
        long nanos = values.get(5);
        TokenUsage usage = TokenUsage.of(values.get(0), values.get(1));
        return new WindowUsage(nanos > 0 ? usage.withCost(TokenBudget.fromNanos(nanos)) : usage,
                oldest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest * bucketMillis)),
                Duration.ofMillis(bucketMillis), Instant.ofEpochMilli(values.get(3)),
                frees < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(frees)));
    }

    private String[] ledgerKeys() {
        return new String[] {keys.tokens(), keys.tokenMinutes()};
    }
}
