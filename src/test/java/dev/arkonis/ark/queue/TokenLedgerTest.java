package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenLedgerTest {
    private static RedisFixture redis;
    private final RoleKeys keys = new RoleKeys("ns.team.writer");
    private TokenLedger ledger;

    @BeforeAll
    static void startRedis() {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void setUp() {
        redis.flushAll();
        ledger = new TokenLedger(redis.connection(), keys);
    }

    @Test
    void sumsEveryCallInTheWindow() {
        ledger.record(List.of(TokenUsage.of(10, 5), TokenUsage.of(3, 2)));
        ledger.record(List.of(TokenUsage.of(100, 50)));

        WindowUsage usage = ledger.windowUsage(Duration.ofHours(24));

        assertThat(usage.usage()).isEqualTo(TokenUsage.of(113, 57));
        assertThat(usage.oldestBucket()).isPresent();
    }

    @Test
    void bucketsByRedisTimeNotTheCallersClock() {
        ledger.record(List.of(TokenUsage.of(7, 1)));

        long redisMinute = Long.parseLong(redis.redis().time().get(0)) / 60;
        WindowUsage usage = ledger.windowUsage(Duration.ofMinutes(5));

        // the bucket the script chose is Redis's current minute (or the one before, across a minute boundary)
        assertThat(redis.redis().hkeys(keys.tokens()))
                .containsAnyOf(redisMinute + ":in", (redisMinute - 1) + ":in");
        assertThat(usage.measuredAt()).isCloseTo(Instant.ofEpochSecond(redisMinute * 60 + 30),
                org.assertj.core.api.Assertions.within(Duration.ofSeconds(60)));
    }

    @Test
    void windowExcludesOlderMinutesAndRecordPrunesPast24Hours() {
        long nowMinute = Long.parseLong(redis.redis().time().get(0)) / 60;
        seedMinute(nowMinute - 30, 1000, 1);        // inside 24 h, outside 10 min
        seedMinute(nowMinute - 25 * 60, 5000, 5);   // past 24 h

        ledger.record(List.of(TokenUsage.of(1, 1)));

        assertThat(ledger.windowUsage(Duration.ofMinutes(10)).usage()).isEqualTo(TokenUsage.of(1, 1));
        assertThat(ledger.windowUsage(Duration.ofHours(24)).usage()).isEqualTo(TokenUsage.of(1001, 2));
        assertThat(redis.redis().hexists(keys.tokens(), (nowMinute - 25 * 60) + ":in")).isFalse();
        assertThat(redis.redis().zscore(keys.tokenMinutes(), String.valueOf(nowMinute - 25 * 60))).isNull();
    }

    @Test
    void oldestMinuteTellsWhenUsageCanFirstDrop() {
        long nowMinute = Long.parseLong(redis.redis().time().get(0)) / 60;
        seedMinute(nowMinute - 60, 10, 0);

        WindowUsage usage = ledger.windowUsage(Duration.ofHours(24));

        assertThat(usage.oldestBucket()).contains(Instant.ofEpochSecond((nowMinute - 60) * 60));
        assertThat(usage.oldestLeavesAt(Duration.ofHours(24)))
                .contains(Instant.ofEpochSecond((nowMinute - 59) * 60).plus(Duration.ofHours(24)));
    }

    @Test
    void storageDoesNotGrowWithTheNumberOfCalls() {
        IntStream.range(0, 500).forEach(i -> ledger.record(List.of(TokenUsage.of(1, 1))));

        assertThat(ledger.windowUsage(Duration.ofHours(1)).usage()).isEqualTo(TokenUsage.of(500, 500));
        assertThat(redis.redis().hlen(keys.tokens())).isLessThanOrEqualTo(4); // one or two minutes, in and out
    }

    @Test
    void whatCallsCostIsSummedExactlyAndABudgetFreesWhenBothItsTokensAndItsCostAreBelow() {
        long nowMinute = Long.parseLong(redis.redis().time().get(0)) / 60;
        // an hour ago: few tokens but most of the money; now: many cheap tokens, and a call whose price was unknown
        seedMinute(nowMinute - 60, 10, 10);
        redis.redis().hset(keys.tokens(), (nowMinute - 60) + ":usd", "4000000000");
        ledger.record(List.of(TokenUsage.of(1200, 30).withCost(new BigDecimal("0.0001212")), TokenUsage.of(5, 5)));

        WindowUsage usage = ledger.usageAgainst(new TokenBudget(100_000, new BigDecimal("4")));
        assertThat(usage.usage()).isEqualTo(TokenUsage.of(1215, 45).withCost(new BigDecimal("4.0001212")));
        // spent by cost only; it frees when the hour-old minute leaves, which takes the cost under $4
        assertThat(new TokenBudget(100_000, new BigDecimal("4")).exhaustedBy(usage.usage())).isTrue();
        assertThat(usage.freesAt()).contains(Instant.ofEpochSecond((nowMinute - 59) * 60).plus(Duration.ofHours(24)));
        // a token limit the recent minute alone breaks: not free before that minute leaves too
        WindowUsage both = ledger.usageAgainst(new TokenBudget(1000, new BigDecimal("4")));
        assertThat(both.freesAt().orElseThrow()).isAfter(usage.freesAt().orElseThrow());
        assertThat(ledger.usageAgainst(new TokenBudget(0, new BigDecimal("5"))).freesAt()).as("within budget").isEmpty();
        assertThat(ledger.windowUsage(Duration.ofMinutes(10)).usage().costUSD()).isEqualByComparingTo("0.0001212");
    }

    @Test
    void aLedgerOfCallsWithoutPricesHasNoCost() {
        ledger.record(List.of(TokenUsage.of(10, 5)));

        assertThat(ledger.usage().usage().costUSD()).isNull();
        assertThat(redis.redis().hkeys(keys.tokens())).noneMatch(field -> field.endsWith(":usd"));
    }

    private void seedMinute(long minute, long input, long output) {
        redis.redis().hset(keys.tokens(), minute + ":in", Long.toString(input));
        redis.redis().hset(keys.tokens(), minute + ":out", Long.toString(output));
        redis.redis().zadd(keys.tokenMinutes(), minute, String.valueOf(minute));
    }
}
