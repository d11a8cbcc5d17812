package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.cli.term.TextWidth;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.ModelUse;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private static StepState step(String name, StepPhase phase, long startMs, Long endMs, int attempts, long tokens,
                                  Duration queueWait) {
        return new StepState(name, "r", phase, null, attempts, 0, T0.plusMillis(startMs),
                endMs == null ? null : T0.plusMillis(endMs), null, null, null, TokenUsage.of(tokens, 0), null, List.of(),
                0, queueWait);
    }

    /** A step whose model's prices were known, answered by a fallback after waiting for the shared rate limit. */
    private static StepState priced(StepState step, String cost, ModelUse use) {
        return new StepState(step.name(), step.role(), step.phase(), null, step.attempts(), 0, step.startTime(),
                step.completionTime(), null, null, null, step.tokens().withCost(new BigDecimal(cost)), null, List.of(), 0,
                step.queueWait(), null, null, use, null, null);
    }

    // research's wait is unknown (a result from an agent that did not report it)
    private static final List<StepState> STEPS = List.of(
            step("research", StepPhase.Succeeded, 0, 2_000L, 1, 120, null),
            priced(step("write", StepPhase.Succeeded, 2_000, 8_000L, 2, 900, Duration.ofMillis(1_500)), "0.01234",
                    new ModelUse("backup", "primary: 503", Duration.ofMillis(2_500))),
            new StepState("publish", "r", StepPhase.Skipped, null, 0, 0, null, null, null, null, null, TokenUsage.ZERO));

    @Test
    void eightyColumnsShowEveryColumnAndBarsWhereTheTimeWent() {
        Timeline timeline = Timeline.of(STEPS, T0, T0.plusMillis(8_000));
        List<String> lines = timeline.lines(80);
        assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(TextWidth.width(l)).isLessThan(80));
        assertThat(lines.get(0)).matches("STEP\\s+START 0\\s+8\\.0s\\s+TOOK\\s+TOKENS\\s+COST\\s+RETRIES\\s+WAIT");
        // 8 s over 12 cells: research fills the first quarter, write (its first 1.5 s queued, then 2.5 s waiting for
        // its model's shared rate limit) the rest; a cost only where the model's prices were known
        assertThat(lines.get(1)).isEqualTo("research     0ms |███         |    2.0s     120         -       0      -");
        assertThat(lines.get(2)).isEqualTo("write       2.0s |   ░░▒▒▒▒███|    6.0s     900   $0.0123       1   1.5s");
        assertThat(lines.get(3)).isEqualTo("publish        - |            |       -       0         -       0      -");
    }

    @Test
    void aNarrowTerminalKeepsTheBarsAndTheTimesTaken() {
        List<String> lines = Timeline.of(STEPS, T0, T0.plusMillis(8_000)).lines(40);
        assertThat(lines).allSatisfy(l -> assertThat(TextWidth.width(l)).isLessThan(40));
        assertThat(lines.get(1)).startsWith("research |").endsWith("|    2.0s");
        assertThat(lines.get(2)).contains("█", "░", "▒");
    }

    @Test
    void theJsonTimingsAreTheTextsInMilliseconds() {
        Map<String, Object> doc = Timeline.of(STEPS, T0, T0.plusMillis(8_000))
                .document();
        assertThat(doc).containsEntry("durationMs", 8_000L).containsEntry("startTime", "2026-05-01T10:00:00Z");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) doc.get("steps");
        assertThat(steps.get(1)).containsEntry("name", "write").containsEntry("startOffsetMs", 2_000L)
                .containsEntry("durationMs", 6_000L).containsEntry("queueWaitMs", 1_500L)
                .containsEntry("tokens", 900L).containsEntry("retries", 1)
                .containsEntry("costUSD", new BigDecimal("0.01234")).containsEntry("model", "backup")
                .containsEntry("rateLimitWaitMs", 2_500L);
        assertThat(steps.get(0)).containsEntry("queueWaitMs", null).containsEntry("costUSD", null);
        assertThat(steps.get(2)).containsEntry("phase", "Skipped").containsEntry("startOffsetMs", null);
    }
}
