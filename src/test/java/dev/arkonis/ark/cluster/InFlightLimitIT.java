package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure on the real server, with the chart's {@code maxRunsInFlight} at 1: a second run waits {@code Pending}
 * as the API server stores and prints it ({@code kubectl get}, {@code kubectl describe}, {@code ark status}), and
 * starts and finishes once the run in flight does.
 */
@Order(58)
class InFlightLimitIT {
    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void limitToOne() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
        ark.changed();
        ark.upgrade("--reset-then-reuse-values", "--set", "maxRunsInFlight=1").assertSuccess();
        ark.awaitOperator();
    }

    @AfterAll
    static void restore() {
        ark.changed();
        ark.upgradeToSuiteValues().assertSuccess();
        ark.ensureInstalled();
    }

    @Test
    void aRunBeyondTheLimitWaitsPendingWhereUsersLookAndStartsWhenTheRunInFlightEnds() {
        try (TestNamespace ns = TestNamespace.create(cluster, "inflight")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: solo}
                    spec:
                      roles: [{name: worker, model: m, provider: mock}]
                      pipeline: [{role: worker, inputs: {prompt: work}}]
                    """).assertSuccess();
            // a suspended run is in flight, and stays so until it is resumed
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: first}
                    spec: {teamRef: {name: solo}, suspend: true}
                    """).assertSuccess();
            ns.awaitPhase("first", RunPhase.Running, Duration.ofSeconds(60));
            ns.startRun("second", "solo", "{}");
            eventually().atMost(Duration.ofSeconds(60)).until(() -> ns.run("second").getStatus() != null
                    && ns.run("second").getStatus().isHeld());
            RunStatus held = ns.run("second").getStatus();
            assertThat(held.message()).isEqualTo("waiting: 1 run in flight, limit 1; 1st in line");

            String listed = ns.kubectl("get", "arkrun", "second", "--no-headers").assertSuccess().stdout();
            assertThat(listed).as("kubectl get: its team and phase").contains("solo").contains("Pending");
            String described = ns.describe("arkrun", "second");
            assertThat(described).contains("InFlightLimit").contains("waiting: 1 run in flight, limit 1; 1st in line");
            eventually().untilAsserted(() -> assertThat(ns.eventReasons("second")).containsExactly("RunQueued"));
            String status = cluster.ark("status", "second", "-n", ns.name).assertSuccess().stdout();
            assertThat(status).contains("Pending").contains("waiting: 1 run in flight, limit 1; 1st in line");

            ns.kubectl("patch", "arkrun", "first", "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}")
                    .assertSuccess();
            ns.awaitPhase("first", RunPhase.Succeeded, Duration.ofSeconds(120));
            RunStatus done = ns.awaitPhase("second", RunPhase.Succeeded, Duration.ofSeconds(120));
            assertThat(done.message()).isNull();
            assertThat(ns.eventReasons("second")).containsOnlyOnce("RunQueued");
            eventually().untilAsserted(() -> assertThat(ns.story("second")).contains("run of team", "run succeeded"));
        }
    }
}
