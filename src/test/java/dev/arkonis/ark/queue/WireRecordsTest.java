package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireRecordsTest {

    @Test
    void taskFieldsRoundTripWithExtraFieldsKeptApart() throws Exception {
        TaskMessage task = TaskMessage.of("run-1/research/1", "Summarise", "ns.results")
                .withOutputSchema("{\"type\":\"object\"}")
                .withDeadline(Instant.ofEpochMilli(1_700_000_000_123L))
                .withMaxTokens(500)
                .withTraceparent("00-abc-def-01")
                .withExtra(Map.of("run", "run-1", "step", "research", "attempt", "1"));

        Map<String, String> fields = task.toFields();

        assertThat(fields).containsEntry("task", "run-1/research/1").containsEntry("deadline", "1700000000123")
                .containsEntry("maxTokens", "500").containsEntry("run", "run-1").doesNotContainKey("systemPrompt");
        assertThat(TaskMessage.fromFields(fields)).isEqualTo(task);
    }

    @Test
    void optionalTaskFieldsAreLeftOut() {
        assertThat(TaskMessage.of("t", "p", "r").toFields()).containsOnlyKeys("task", "prompt", "replyTo");
    }

    @Test
    void aTaskWithoutReplyToOrWithABadDeadlineIsMalformed() {
        assertThatThrownBy(() -> TaskMessage.fromFields(Map.of("task", "t", "prompt", "p")))
                .isInstanceOf(MalformedTaskException.class).hasMessage("missing field replyTo");
        assertThatThrownBy(() -> TaskMessage.fromFields(Map.of("task", "t", "prompt", "p", "replyTo", "r",
                "deadline", "tomorrow")))
                .isInstanceOf(MalformedTaskException.class).hasMessageContaining("deadline");
    }

    @Test
    void resultFieldsWinOverCopiedFieldsOfTheSameName() {
        TaskResult result = TaskResult.succeeded("t", "out", 3, 4, "pod-a", 12,
                Map.of("run", "r1", "status", "forged"));

        Map<String, String> fields = result.toFields();

        assertThat(fields).containsEntry("status", "succeeded").containsEntry("run", "r1")
                .containsEntry("error", "").containsEntry("inputTokens", "3").containsEntry("durationMs", "12");
        assertThat(TaskResult.fromFields(fields).copied()).containsOnlyKeys("run");
    }

    @Test
    void aResultCarriesItsTasksQueueWaitAndOneWithoutItReadsAsUnknown() {
        TaskResult waited = TaskResult.succeeded("t", "out", 3, 4, "pod-a", 12, Map.of("run", "r1"))
                .withQueueWait(java.time.Duration.ofMillis(250));
        Map<String, String> fields = waited.toFields();
        assertThat(fields).containsEntry("queueWaitMs", "250");
        TaskResult read = TaskResult.fromFields(fields);
        assertThat(read.queueWait()).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(read.copied()).containsOnlyKeys("run");
        // a result written by an agent from before the field (or a dead letter) says nothing: unknown, not zero
        TaskResult old = TaskResult.fromFields(TaskResult.succeeded("t", "out", 3, 4, "pod-a", 12, Map.of()).toFields());
        assertThat(old.queueWait()).isNull();
        assertThat(TaskResult.failed("t", "e", 0, 0, "pod-a", 0, Map.of()).toFields()).doesNotContainKey("queueWaitMs");
    }

    @Test
    void aResultCarriesItsCacheTokensCostAndWhichModelAnsweredAndWhy() {
        dev.arkonis.ark.api.TokenUsage usage = dev.arkonis.ark.api.TokenUsage.of(1200, 30, 1024, 200)
                .withCost(new java.math.BigDecimal("0.0020352"));
        TaskResult result = TaskResult.succeeded("t", "out", 1200, 30, "pod-a", 12, Map.of("run", "r1"))
                .withUsage(usage, "gpt-4o-mini", "gpt-4o: 503 service unavailable", java.time.Duration.ofMillis(1500));
        Map<String, String> fields = result.toFields();
        assertThat(fields).containsEntry("cachedInputTokens", "1024").containsEntry("cacheWriteTokens", "200")
                .containsEntry("costUSD", "0.0020352").containsEntry("model", "gpt-4o-mini")
                .containsEntry("modelReason", "gpt-4o: 503 service unavailable").containsEntry("rateLimitWaitMs", "1500");
        TaskResult read = TaskResult.fromFields(fields);
        assertThat(read.usage()).isEqualTo(usage);
        assertThat(read.report().model()).isEqualTo("gpt-4o-mini");
        assertThat(read.report().modelReason()).isEqualTo("gpt-4o: 503 service unavailable");
        assertThat(read.report().rateLimitWait()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(read.copied()).containsOnlyKeys("run");
        // an older agent's result: no cost known, nothing cached
        TaskResult old = TaskResult.fromFields(TaskResult.succeeded("t", "out", 3, 4, "pod-a", 12, Map.of()).toFields());
        assertThat(old.usage()).isEqualTo(dev.arkonis.ark.api.TokenUsage.of(3, 4));
        // a cost that is no plain non-negative number is no cost at all
        Map<String, String> forged = new java.util.HashMap<>(fields);
        forged.put("costUSD", "-5");
        assertThat(TaskResult.fromFields(forged).usage().costUSD()).isNull();
    }

    @Test
    void everyRoleKeyStartsWithTheStreamKey() {
        RoleKeys keys = new RoleKeys("ns.team.writer");
        assertThat(java.util.List.of(keys.dead(), keys.tokens(), keys.tokenMinutes(), keys.heartbeat("pod-1"),
                keys.results())).allMatch(key -> key.startsWith("ns.team.writer."));
    }

    @Test
    void redisPasswordsAreRedacted() {
        assertThat(RedisUrls.redact("redis://default:s3cr@t@redis.ark-system:6379/0"))
                .isEqualTo("redis://default:***@redis.ark-system:6379/0");
        assertThat(RedisUrls.redact("rediss://onlypassword@host:6380")).isEqualTo("rediss://***@host:6380");
        assertThat(RedisUrls.redact("redis://:pw@host")).isEqualTo("redis://:***@host");
        assertThat(RedisUrls.redact("redis://host:6379")).isEqualTo("redis://host:6379");
    }
}
