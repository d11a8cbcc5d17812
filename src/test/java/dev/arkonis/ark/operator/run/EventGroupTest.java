package dev.arkonis.ark.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a run's transitions become Events: by the moment their status write recorded, headed, typed, named, cut. */
class EventGroupTest {
    private static final Instant FIRST = Instant.parse("2026-12-07T05:00:00.000001Z");
    private static final Instant SECOND = Instant.parse("2026-12-07T05:00:00.250002Z");

    private static RunTransition at(Instant moment, int rank, EventReason reason, String key, String message) {
        return new RunTransition(reason, key, message, moment, rank);
    }

    @Test
    void whatOneWriteRecordedIsOneGroupInTheOrderItHappened() {
        List<EventGroup> groups = EventGroup.byMoment(List.of(
                at(SECOND, 2, EventReason.StepStarted, "0/c/1/Running", "step c started"),
                at(FIRST, 2, EventReason.StepStarted, "0/a/1/Running", "step a started"),
                at(SECOND, 1, EventReason.StepSucceeded, "0/b/1/Succeeded", "step b succeeded"),
                at(SECOND, 1, EventReason.StepSucceeded, "0/a/1/Succeeded", "step a succeeded"),
                at(FIRST, 0, EventReason.RunStarted, "started", "run started")));

        assertThat(groups).extracting(EventGroup::message, EventGroup::reason, EventGroup::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple("run started; step a started", EventReason.StepStarted, FIRST),
                org.assertj.core.groups.Tuple.tuple("step a succeeded; step b succeeded; step c started",
                        EventReason.StepSucceeded, SECOND.plusNanos(1000)));
        assertThat(groups.get(1).key()).isEqualTo("0/a/1/Succeeded + 0/b/1/Succeeded + 0/c/1/Running");
    }

    @Test
    void theRunsEndHeadsItsGroupAndAnyWarningMakesTheGroupOne() {
        EventGroup group = EventGroup.byMoment(List.of(
                at(FIRST, 3, EventReason.RunSucceeded, "0/Succeeded", "run succeeded"),
                at(FIRST, 1, EventReason.StepSkipped, "0/after/0/Skipped", "step after skipped"),
                at(FIRST, 1, EventReason.StepFailed, "0/build/1/Failed", "step build failed: no"))).get(0);
        assertThat(group.message()).as("cause before effect")
                .isEqualTo("step build failed: no; step after skipped; run succeeded");
        assertThat(group.reason()).isEqualTo(EventReason.RunSucceeded);
        assertThat(group.type()).as("a Normal reason, a Warning among its transitions").isEqualTo("Warning");
        assertThat(group.endsRun()).isTrue();

        EventGroup ties = EventGroup.byMoment(List.of(
                at(FIRST, 2, EventReason.ApprovalRequested, "0/gate/1/WaitingForApproval", "step gate waits"),
                at(FIRST, 1, EventReason.StepSkipped, "0/b/0/Skipped", "step b skipped"),
                at(FIRST, 1, EventReason.StepCancelled, "0/a/0/Cancelled", "step a cancelled"))).get(0);
        assertThat(ties.reason()).as("of equal weight, the first").isEqualTo(EventReason.StepCancelled);
        assertThat(ties.type()).isEqualTo("Normal");
        assertThat(ties.endsRun()).isFalse();
    }

    @Test
    void aTransitionAloneIsTheEventItAlwaysWas() {
        EventGroup alone = EventGroup.byMoment(List.of(
                at(FIRST, 2, EventReason.StepStarted, "0/a/1/Running", "step a started (role w, attempt 1)"))).get(0);
        assertThat(alone.key()).isEqualTo("0/a/1/Running");
        assertThat(alone.message()).isEqualTo("step a started (role w, attempt 1)");
        assertThat(alone.reason()).isEqualTo(EventReason.StepStarted);
        assertThat(alone.type()).isEqualTo("Normal");
        assertThat(alone.at()).isEqualTo(FIRST.plusNanos(2000));
    }

    @Test
    void aGroupLongerThanAMessageIsToldInAsManyAsItNeedsEachTransitionWhole() {
        List<RunTransition> fanOut = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> fanOut.add(at(FIRST, 2, EventReason.StepStarted,
                "0/step-%02d/1/Running".formatted(i), "step step-%02d started (role researcher, attempt 1)".formatted(i))));

        List<EventGroup> parts = EventGroup.byMoment(fanOut);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allSatisfy(part -> assertThat(part.message().length()).isLessThanOrEqualTo(KubeEvents.MAX_MESSAGE));
        assertThat(String.join(EventGroup.SEPARATOR, parts.stream().map(EventGroup::message).toList()))
                .as("nothing cut, nothing twice, in order")
                .isEqualTo(String.join(EventGroup.SEPARATOR, fanOut.stream().map(RunTransition::message).toList()));
        List<RunTransition> reversed = new ArrayList<>(fanOut);
        java.util.Collections.reverse(reversed);
        assertThat(EventGroup.byMoment(reversed)).as("the same parts however they come").isEqualTo(parts);
    }

    @Test
    void groupsFoldOnlyWhileOneMessageHoldsThemWhole() {
        EventGroup first = EventGroup.byMoment(List.of(at(FIRST, 0, EventReason.RunStarted, "started", "x".repeat(600))))
                .get(0);
        EventGroup second = EventGroup.byMoment(List.of(at(SECOND, 1, EventReason.StepSucceeded, "0/a/1/Succeeded",
                "y".repeat(300)))).get(0);
        EventGroup third = EventGroup.byMoment(List.of(at(SECOND.plusSeconds(1), 1, EventReason.StepSucceeded,
                "0/b/1/Succeeded", "z".repeat(300)))).get(0);
        assertThat(first.fits(second)).isTrue();
        EventGroup folded = first.with(second);
        assertThat(folded.message()).isEqualTo("x".repeat(600) + "; " + "y".repeat(300));
        assertThat(folded.at()).isEqualTo(first.at());
        assertThat(folded.reason()).isEqualTo(EventReason.StepSucceeded);
        assertThat(folded.fits(third)).isFalse();
    }
}
