package dev.arkonis.ark.queue;

import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.StepCacheStore;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operator's step cache, in Redis under each role's key prefix, so the role's ACL covers it and nothing of another
 * role's: {@code <stream>.cache.<key>} holds an accepted answer (as {@link CacheWrite#toJson}) for its step's maxAge,
 * and the sorted set {@code <stream>.cache} indexes a role's answers by when they were kept. Bounded: answers over
 * {@link CacheWrite#MAX_OUTPUT_BYTES} are not kept, and each write drops a role's oldest answers beyond
 * {@code maxEntries}. A cache Redis cannot answer misses, and a write it cannot take is lost: the run goes on either way.
 */
public final class RedisStepCache {
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    private final RedisCommands<String, String> redis;
    private final int maxEntries;

    public RedisStepCache(StatefulRedisConnection<String, String> connection, int maxEntries) {
        this.redis = connection.sync();
        this.maxEntries = maxEntries;
    }

    /** The index of a role's cached answers. */
    public static String index(String stream) {
        return stream + ".cache";
    }

    /** Where one answer of a role is kept. */
    public static String entry(String stream, String key) {
        return index(stream) + "." + key;
    }

    /** The cache of one team's roles in a namespace, as the run engine looks it up. */
    public StepCacheStore forTeam(String namespace, String team) {
        return new StepCacheStore() {
            @Override
            public Optional<CachedAnswer> find(CacheLookup lookup, Instant now) {
                return RedisStepCache.this.find(Names.queue(namespace, team, lookup.role()), lookup, now);
            }

            @Override
            public void keep(CacheWrite write) {
                RedisStepCache.this.keep(Names.queue(namespace, team, write.role()), write);
            }
        };
    }

    Optional<CachedAnswer> find(String stream, CacheLookup lookup, Instant now) {
        String text;
        try {
            text = redis.get(entry(stream, lookup.key()));
        } catch (RedisException e) {
            return Optional.empty();
        }
        return CachedAnswer.fromJson(text).filter(answer -> answer.freshFor(lookup.maxAge(), now));
    }

    void keep(String stream, CacheWrite write) {
        if (!write.fits() || write.maxAge().isZero() || write.maxAge().isNegative()) {
            return;
        }
        long ttl = Math.max(1, write.maxAge().toMillis());
        String index = index(stream);
        try {
            redis.set(entry(stream, write.key()), write.toJson(), SetArgs.Builder.px(ttl));
            redis.zadd(index, write.at().toEpochMilli(), write.key());
            long over = redis.zcard(index) - maxEntries;
            if (over > 0) {
                List<ScoredValue<String>> oldest = redis.zpopmin(index, over);
                redis.del(oldest.stream().map(o -> entry(stream, o.getValue())).toArray(String[]::new));
            }
            // the index lives as long as its longest-lived answer, so a deleted team's leaves nothing behind
            long left = redis.pttl(index);
            if ((left >= 0 && left < ttl) || left == -1) {
                redis.pexpire(index, ttl);
            }
        } catch (RedisException e) {
            // not kept: a later run of the step pays once more, which is all a lost cache write costs
        }
    }
}
