package dev.arkonis.ark.operator.trigger;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static dev.arkonis.ark.operator.trigger.TriggerCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkEventSpec;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cron ArkEvents against the mock API server, with a clock the test moves. */
class CronTriggerTest {

    private TestClock clock;
    private TriggerCluster cluster;

    @BeforeEach
    void start() {
        // the API server stamps creation with the real time: the test clock starts there
        clock = new TestClock(Instant.now());
        cluster = new TriggerCluster(TriggerCluster.webhooks(1024, 60), clock);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: nightly-report-team, namespace: team-ns}
                spec:
                  inputs:
                    - {name: reportDate, required: true}
                    - {name: includeForecasts, default: "true"}
                  roles: [{name: collector, model: m, provider: mock}]
                  pipeline: [{role: collector, inputs: {prompt: "Collect {{ .input.reportDate }}"}}]
                """, ArkTeam.class);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Creates the event, moves the clock to its creation and returns the minute it was created in. */
    private Instant cronEvent(String name, String cron, String extra) {
        ArkEvent event = cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: %s, namespace: team-ns}
                spec:
                  source:
                    type: cron
                    cron: "%s"
                %s
                  targets:
                    - team: nightly-report-team
                      input:
                        reportDate: "{{ .trigger.firedAt }}"
                        includeForecasts: "true"
                """.formatted(name, cron, extra), ArkEvent.class);
        Instant created = Instant.parse(event.getMetadata().getCreationTimestamp());
        tick(created);
        return created.truncatedTo(ChronoUnit.MINUTES);
    }

    /** Moves the clock to {@code at} and lets every cron event look at it. */
    private void tick(Instant at) {
        clock.set(at);
        cluster.triggers().reconciler().wake();
    }

    private List<ArkRun> runsOf(String event) {
        return cluster.runs().stream().filter(r -> event.equals(r.getMetadata().getLabels().get(Ark.LABEL_TRIGGER))).toList();
    }

    @Test
    void firesEachSlotOnceAndKeepsNextFireTrue() {
        Instant minute = cronEvent("every-minute", "* * * * *", "");
        Instant next = minute.plus(Duration.ofMinutes(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("every-minute").nextFireAt()).isEqualTo(next.toString()));
        assertThat(cluster.status("every-minute").fired()).as("the slot before the event existed does not fire").isZero();
        assertThat(cluster.status("every-minute").conditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getReason()).isEqualTo("Scheduled");
        });

        tick(next.plusSeconds(2));
        eventually().untilAsserted(() -> assertThat(cluster.status("every-minute").fired()).isEqualTo(1));
        String runName = "every-minute-" + next.getEpochSecond() / 60;
        assertThat(cluster.status("every-minute").lastRuns()).containsExactly(runName);
        assertThat(cluster.status("every-minute").lastScheduleTime()).isEqualTo(next.toString());
        eventually().untilAsserted(() -> assertThat(cluster.status("every-minute").nextFireAt())
                .isEqualTo(next.plus(Duration.ofMinutes(1)).toString()));
        ArkRun run = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(runName).get();
        assertThat(run.getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "nightly-report-team")
                .containsEntry(Ark.LABEL_TRIGGER, "every-minute");
        assertThat(run.getSpec().teamName()).isEqualTo("nightly-report-team");
        assertThat(run.getSpec().input().toString())
                .isEqualTo("{\"reportDate\":\"" + next + "\",\"includeForecasts\":\"true\"}");
        eventually().untilAsserted(() -> assertThat(cluster.eventMessages("every-minute", "Fired"))
                .containsExactly("fired by schedule slot " + next + ": created run(s) " + runName));

        // the same slot looked at again (a later tick within the minute) fires nothing more
        tick(next.plusSeconds(30));
        tick(next.plusSeconds(59));
        tick(next.plus(Duration.ofMinutes(1)).plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("every-minute").fired()).isEqualTo(2));
        assertThat(runsOf("every-minute")).hasSize(2);
    }

    @Test
    void missedSlotsFireOnlyTheLatestOnce() {
        Instant minute = cronEvent("catch-up", "* * * * *", "");
        eventually().until(() -> cluster.status("catch-up").nextFireAt() != null);
        Instant latest = minute.plus(Duration.ofMinutes(10));
        tick(latest.plusSeconds(5));
        eventually().untilAsserted(() -> assertThat(cluster.status("catch-up").fired()).isEqualTo(1));
        assertThat(runsOf("catch-up")).singleElement().satisfies(r ->
                assertThat(r.getMetadata().getName()).isEqualTo("catch-up-" + latest.getEpochSecond() / 60));
        eventually().untilAsserted(() -> assertThat(cluster.eventMessages("catch-up", "Fired")).singleElement()
                .asString().contains("the latest of 10 missed slots"));
    }

    @Test
    void aSlotMissedBeyondTheStartingDeadlineIsSkippedWithAnEvent() {
        Instant minute = cronEvent("strict", "* * * * *", "    startingDeadlineSeconds: 30");
        eventually().until(() -> cluster.status("strict").nextFireAt() != null);
        Instant slot = minute.plus(Duration.ofMinutes(3));
        tick(slot.plusSeconds(45));
        eventually().untilAsserted(() -> assertThat(cluster.status("strict").refused()).isEqualTo(1));
        assertThat(cluster.status("strict").fired()).isZero();
        assertThat(cluster.status("strict").lastScheduleTime()).isEqualTo(slot.toString());
        assertThat(runsOf("strict")).isEmpty();
        eventually().untilAsserted(() -> assertThat(cluster.eventMessages("strict", "MissedSchedule")).singleElement()
                .asString().contains("schedule slot " + slot + " was missed by 45s, more than startingDeadlineSeconds (30)"));

        Instant onTime = slot.plus(Duration.ofMinutes(2));
        tick(onTime.plusSeconds(10));
        eventually().untilAsserted(() -> assertThat(cluster.status("strict").fired()).isEqualTo(1));
    }

    @Test
    void forbidSkipsASlotWhileTheEventsRunIsUnfinished() {
        Instant minute = cronEvent("nightly-report-cron", "* * * * *", "  concurrencyPolicy: Forbid");
        eventually().until(() -> cluster.status("nightly-report-cron").nextFireAt() != null);
        Instant first = minute.plus(Duration.ofMinutes(1));
        tick(first.plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("nightly-report-cron").fired()).isEqualTo(1));

        // no run reconciler here: the first run stays unfinished
        tick(first.plus(Duration.ofMinutes(1)).plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("nightly-report-cron").refused()).isEqualTo(1));
        assertThat(runsOf("nightly-report-cron")).hasSize(1);
        String firstRun = "nightly-report-cron-" + first.getEpochSecond() / 60;
        eventually().untilAsserted(() -> assertThat(cluster.eventMessages("nightly-report-cron", "ConcurrencyForbidden"))
                .singleElement().asString().contains("run(s) " + firstRun + " of this event are still unfinished"));

        ArkRun run = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(firstRun).get();
        run.setStatus(RunStatus.builder().phase(RunPhase.Succeeded).completionTime(first.toString()).steps(List.of())
                .stepsDone("1/1").output("done").totalTokenUsage(TokenUsage.ZERO).build());
        cluster.client.resource(run).updateStatus();
        tick(first.plus(Duration.ofMinutes(2)).plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("nightly-report-cron").fired()).isEqualTo(2));
    }

    @Test
    void aSuspendedEventFiresNothingAndResumesLikeACronJob() {
        Instant minute = cronEvent("paused", "* * * * *", "  suspended: true");
        eventually().untilAsserted(() -> assertThat(cluster.status("paused").conditions()).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Suspended")));
        assertThat(cluster.status("paused").nextFireAt()).isNull();
        Instant slot = minute.plus(Duration.ofMinutes(3));
        tick(slot.plusSeconds(1));
        tick(slot.plusSeconds(2));
        assertThat(cluster.status("paused").fired()).isZero();

        cluster.cluster.edit(ArkEvent.class, NS, "paused", e -> {
            ArkEventSpec s = e.getSpec();
            e.setSpec(new ArkEventSpec(s.source(), s.targets(), s.concurrencyPolicy(), false));
            return e;
        });
        eventually().untilAsserted(() -> assertThat(cluster.status("paused").fired()).isEqualTo(1));
        assertThat(runsOf("paused")).singleElement().satisfies(r ->
                assertThat(r.getMetadata().getName()).isEqualTo("paused-" + slot.getEpochSecond() / 60));
    }

    @Test
    void aRestartNeverFiresTheSameSlotTwice() {
        Instant minute = cronEvent("restart", "* * * * *", "");
        eventually().until(() -> cluster.status("restart").nextFireAt() != null);
        Instant slot = minute.plus(Duration.ofMinutes(1));
        tick(slot.plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("restart").fired()).isEqualTo(1));

        cluster.restartOperator();
        // the new operator looks at the same slot: it was recorded, nothing fires
        eventually().untilAsserted(() -> assertThat(cluster.status("restart").conditions()).isNotEmpty());
        tick(slot.plusSeconds(20));
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("restart")).contains("Fired"));
        assertThat(cluster.status("restart").fired()).isEqualTo(1);
        assertThat(runsOf("restart")).hasSize(1);

        // a crash between creating the runs and recording the slot: the runs are there, the status does not say so
        Instant second = slot.plus(Duration.ofMinutes(1));
        ArkRun made = cluster.client.resources(ArkRun.class).inNamespace(NS).withName(runsOf("restart").get(0).getMetadata().getName()).get();
        made.getMetadata().setName("restart-" + second.getEpochSecond() / 60);
        made.getMetadata().setResourceVersion(null);
        made.getMetadata().setUid(null);
        made.getMetadata().getLabels().put(Ark.LABEL_FIRE, Long.toString(second.getEpochSecond() / 60));
        cluster.client.resource(made).create();
        tick(second.plusSeconds(1));
        eventually().untilAsserted(() -> assertThat(cluster.status("restart").fired()).isEqualTo(2));
        assertThat(runsOf("restart")).hasSize(2);
        eventually().untilAsserted(() -> assertThat(cluster.eventMessages("restart", "Fired"))
                .anySatisfy(m -> assertThat(m).contains("had been created already")));
    }

    @Test
    void aBadScheduleIsReportedInStatusAndAnEvent() {
        cronEvent("broken", "0 25 * * *", "    timeZone: Europe/Paris");
        eventually().untilAsserted(() -> assertThat(cluster.status("broken").conditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).startsWith("spec.source.cron: invalid expression \"0 25 * * *\"");
        }));
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("broken")).containsExactly("InvalidSpec"));
        assertThat(cluster.status("broken").nextFireAt()).isNull();
    }
}
