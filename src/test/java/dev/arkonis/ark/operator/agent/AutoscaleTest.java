package dev.arkonis.ark.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.Autoscaling;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replicas that follow the work, as the operator decides them. */
class AutoscaleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Autoscaling FOLLOW = new Autoscaling(true, null);
    private static final Autoscaling TO_ZERO = new Autoscaling(true, new Autoscaling.ScaleToZero(true, 60));

    private static AgentSpec spec(int replicas, Autoscaling autoscaling) {
        return new AgentSpec("m", null, null, null, null, null, null, replicas, null, new AgentLimits(null, 2, null, null, null),
                null, null, null, null, autoscaling, null);
    }

    @Test
    void podsFollowTheWorkUpToSpecReplicas() {
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.of(5L), 1, null, false, NOW).replicas()).isEqualTo(3);
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.of(50L), 1, null, false, NOW))
                .satisfies(a -> {
                    assertThat(a.replicas()).isEqualTo(4);
                    assertThat(a.reason()).isEqualTo("50 task(s) queued or running, 2 per pod, at most 4 pod(s)");
                });
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.of(1L), 3, null, false, NOW).replicas()).isEqualTo(1);
        assertThat(Autoscale.decide(spec(4, null), Optional.of(50L), 1, null, false, NOW).replicas())
                .as("without autoscaling, spec.replicas").isEqualTo(4);
        assertThat(Autoscale.decide(spec(0, FOLLOW), Optional.of(5L), 1, null, false, NOW).replicas()).isZero();
    }

    @Test
    void anIdleAgentKeepsOnePodUnlessItScalesToZeroAfterItsIdleTime() {
        Autoscale idle = Autoscale.decide(spec(4, TO_ZERO), Optional.of(0L), 2, null, false, NOW);
        assertThat(idle.replicas()).isEqualTo(1);
        assertThat(idle.idleSince()).isEqualTo(NOW);
        assertThat(idle.recheck()).contains(NOW.plusSeconds(60));
        Autoscale later = Autoscale.decide(spec(4, TO_ZERO), Optional.of(0L), 1, NOW, false, NOW.plusSeconds(60));
        assertThat(later.replicas()).isZero();
        assertThat(later.reason()).isEqualTo("idle for 60s (scaleToZero)");
        assertThat(Autoscale.decide(spec(4, TO_ZERO), Optional.of(3L), 0, NOW, false, NOW.plusSeconds(90)))
                .as("work wakes it").satisfies(a -> {
                    assertThat(a.replicas()).isEqualTo(2);
                    assertThat(a.idleSince()).isNull();
                });
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.of(0L), 2, NOW, false, NOW.plusSeconds(3600)).replicas())
                .as("no scaleToZero").isEqualTo(1);
    }

    @Test
    void theOlderFieldsSetTheFloorTheCeilingAndTheWorkPerPod() {
        // as the cookbook writes it: {enabled: true, minReplicas: 0, maxReplicas: 10, targetPendingTasks: 3}
        Autoscaling cookbook = new Autoscaling(true, null, 0, 10, 3);
        assertThat(Autoscale.decide(spec(1, cookbook), Optional.of(7L), 1, null, false, NOW).replicas())
                .as("ceil(7 / 3), up to maxReplicas rather than replicas").isEqualTo(3);
        assertThat(Autoscale.decide(spec(1, cookbook), Optional.of(100L), 1, null, false, NOW).replicas()).isEqualTo(10);
        assertThat(Autoscale.decide(spec(1, cookbook), Optional.of(0L), 1, NOW, false,
                NOW.plusSeconds(Autoscaling.DEFAULT_IDLE_SECONDS)).replicas()).as("minReplicas 0: idle goes to zero").isZero();
        Autoscaling floor = new Autoscaling(true, null, 2, 5, null);
        assertThat(Autoscale.decide(spec(1, floor), Optional.of(1L), 1, null, false, NOW).replicas()).isEqualTo(2);
        assertThat(Autoscale.decide(spec(1, floor), Optional.of(0L), 2, NOW, false, NOW.plusSeconds(3600)))
                .satisfies(a -> {
                    assertThat(a.replicas()).isEqualTo(2);
                    assertThat(a.reason()).isEqualTo("idle; 2 pods stay (minReplicas)");
                });
    }

    @Test
    void theBudgetWinsAndAnUnreadableQueueKeepsTheLastDecision() {
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.of(50L), 4, null, true, NOW).replicas()).isZero();
        assertThat(Autoscale.decide(spec(4, TO_ZERO), Optional.empty(), 3, NOW, false, NOW.plusSeconds(600)))
                .satisfies(a -> {
                    assertThat(a.replicas()).isEqualTo(3);
                    assertThat(a.idleSince()).isEqualTo(NOW);
                });
        assertThat(Autoscale.decide(spec(4, FOLLOW), Optional.empty(), null, null, false, NOW).replicas())
                .as("a new agent before its first reading").isEqualTo(1);
        assertThat(Autoscale.countUpTo(spec(4, FOLLOW))).isEqualTo(9);
    }
}
