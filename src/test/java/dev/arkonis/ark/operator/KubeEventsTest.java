package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkTeam;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events as kubectl expects them: a stable name per object and reason, repeats counted, messages within limits. */
class KubeEventsTest {
    private static MockCluster cluster;
    private static KubeEvents events;

    @BeforeAll
    static void start() {
        cluster = MockCluster.notStarted(MockCluster.env());
        events = new KubeEvents(cluster.client, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ArkTeam team(String namespace) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: told, namespace: %s}
                spec:
                  roles: [{name: writer, model: m}]
                  pipeline: [{role: writer}]
                """.formatted(namespace), ArkTeam.class);
    }

    private static List<Event> eventsIn(String namespace) {
        return cluster.client.v1().events().inNamespace(namespace).list().getItems();
    }

    @Test
    void theSameThingHappeningAgainIsCountedOnOneEventWithAStableName() {
        ArkTeam team = team("counted");
        events.record(team, EventReason.ReconcileError, "connection refused");
        events.record(team, EventReason.ReconcileError, "connection refused");
        events.record(team, EventReason.ReconcileError, "connection refused");
        events.record(team, EventReason.RunStarted, "the team is valid");

        assertThat(eventsIn("counted")).hasSize(2);
        Event repeated = eventsIn("counted").stream().filter(e -> e.getReason().equals("ReconcileError")).findFirst().orElseThrow();
        assertThat(repeated.getCount()).isEqualTo(3);
        assertThat(repeated.getSeries().getCount()).isEqualTo(3);
        assertThat(repeated.getSeries().getLastObservedTime().getTime()).isGreaterThan(repeated.getEventTime().getTime());
        assertThat(repeated.getType()).isEqualTo("Warning");
        assertThat(repeated.getMetadata().getName()).startsWith("told.")
                .isEqualTo(KubeEvents.name(team, "Warning", "ReconcileError", "connection refused"));
        assertThat(repeated.getInvolvedObject().getUid()).isEqualTo(team.getMetadata().getUid());
    }

    @Test
    void aTransitionIsRecordedOnceHoweverOftenItIsAnnounced() {
        ArkTeam team = team("once");
        events.once(team, EventReason.StepSucceeded, "1/write/1/Succeeded", "step write succeeded (10 tokens)");
        events.once(team, EventReason.StepSucceeded, "1/write/1/Succeeded", "step write succeeded (10 tokens)");
        events.once(team, EventReason.StepSucceeded, "1/edit/1/Succeeded", "step edit succeeded (3 tokens)");

        assertThat(eventsIn("once")).extracting(Event::getMessage, Event::getCount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("step write succeeded (10 tokens)", 1),
                org.assertj.core.groups.Tuple.tuple("step edit succeeded (3 tokens)", 1));
    }

    @Test
    void eventsToldOneAfterAnotherCarryMomentsToTheMicrosecondInThatOrderHoweverCloseTogether() {
        ArkTeam team = team("ordered");
        KubeEvents frozen = new KubeEvents(cluster.client, Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05.123456789Z"),
                java.time.ZoneOffset.UTC));
        java.time.Instant first = frozen.moment();
        java.time.Instant second = frozen.moment();
        frozen.once(team, EventReason.StepSucceeded, "s0", "step s0 succeeded", second);
        frozen.once(team, EventReason.StepStarted, "s0", "step s0 started", first);

        assertThat(eventsIn("ordered")).extracting(Event::getMessage, e -> e.getEventTime().getTime())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("step s0 started", "2026-01-02T03:04:05.123456Z"),
                        org.assertj.core.groups.Tuple.tuple("step s0 succeeded", "2026-01-02T03:04:05.123457Z"));
        // kubectl describe sorts by lastTimestamp, which the API server keeps to the second, and leaves ties in the
        // order it listed them: by name
        assertThat(eventsIn("ordered").stream().sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName())))
                .extracting(Event::getMessage, Event::getLastTimestamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("step s0 started", "2026-01-02T03:04:05Z"),
                        org.assertj.core.groups.Tuple.tuple("step s0 succeeded", "2026-01-02T03:04:05Z"));
        assertThat(eventsIn("ordered")).allSatisfy(e -> {
            assertThat(e.getReportingComponent()).isEqualTo(KubeEvents.COMPONENT);
            assertThat(e.getReportingInstance()).isNotBlank();
            assertThat(e.getAction()).isEqualTo(e.getReason());
        });
    }

    @Test
    void aLongMessageIsCutToTheLimit() {
        ArkTeam team = team("long");
        events.record(team, EventReason.StepFailed, "x".repeat(5000));
        assertThat(eventsIn("long")).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).hasSize(KubeEvents.MAX_MESSAGE).endsWith("…");
        });
    }

    /** kubectl describe, the user's guide and users' scripts read these: a reason renamed or retyped breaks them. */
    @Test
    void everyReasonKeepsTheNameAndTypeUsersRead() {
        assertThat(java.util.Arrays.stream(EventReason.values()).map(r -> r.name() + " " + r.type())).containsExactly(
                "RunStarted Normal", "StepStarted Normal", "StepSucceeded Normal", "StepSkipped Normal",
                "StepFailed Warning", "RunSucceeded Normal", "RunFailed Warning", "RunTimedOut Warning",
                "RunCancelled Warning", "RetryRequested Normal", "RetryRejected Warning", "TasksResent Warning",
                "ApprovalRequested Normal", "Approved Normal", "Rejected Warning", "RunSuspended Normal",
                "RunResumed Normal", "CancelRequested Normal", "StepCancelled Normal", "RunQueued Normal",
                "RunInvalidSpec Warning", "RunTeamNotFound Warning", "RunInvalidTeam Warning", "RunInvalidInput Warning",
                "RunInvalidResume Warning",
                "BudgetExceeded Warning", "BudgetWarning Warning", "BudgetRestored Normal", "AutoscaleAgent Normal",
                "Fired Normal", "MissedSchedule Warning", "Suspended Warning", "ConcurrencyForbidden Warning",
                "InputTemplateFailed Warning",
                "TemplateFailed Warning", "DeliveryFailed Warning", "NotifyNotFound Warning",
                "InvalidSpec Warning", "Unreadable Warning", "ReconcileError Warning");
    }
}
