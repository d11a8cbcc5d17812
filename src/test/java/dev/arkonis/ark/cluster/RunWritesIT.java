package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What a run costs the API server and how it reads back, on the real one: {@code kubectl describe arkrun} lists its
 * Events in the order things happened, however fast they came (and however late they were written), one for each
 * status write at most; its start is one write of its metadata (none when it was created with its team label), each
 * step one write of its status, and a reconcile that learns nothing writes nothing.
 * Counted from the audit log, which records every request of the operator's ServiceAccount.
 */
@Order(12)
class RunWritesIT {
    private static final int STEPS = 5;
    private static ArkCluster cluster;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        cluster.ark();
    }

    private static String chain() {
        StringBuilder team = new StringBuilder("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: chain}
                spec:
                  roles: [{name: w, model: m, provider: mock}]
                  pipeline:
                """);
        for (int i = 0; i < STEPS; i++) {
            team.append("    - {name: s").append(i).append(", role: w")
                    .append(i == 0 ? "" : ", dependsOn: [s" + (i - 1) + "]").append(", inputs: {prompt: \"step ")
                    .append(i).append("\"}}\n");
        }
        return team.toString();
    }

    @Test
    void aRunsEventsReadInOrderOnePerStatusWriteAndItsStartAndStepsCostOneWriteEach() {
        AuditLog audit = new AuditLog(cluster.kube.auditLog());
        try (TestNamespace ns = TestNamespace.create(cluster, "writes")) {
            ns.apply(chain()).assertSuccess();
            ns.awaitReadyPods("chain-w", 1);
            long from = audit.end();
            ns.startRun("c1", "chain", "{}");
            ns.awaitPhase("c1", RunPhase.Succeeded);

            List<String> story = new ArrayList<>(List.of("run of team chain started with 5 step(s)"));
            IntStream.range(0, STEPS).forEach(i -> {
                story.add("step s" + i + " started (role w, attempt 1)");
                story.add("step s" + i + " succeeded (");
            });
            story.add("run succeeded");
            List<String> told = eventually().atMost(Duration.ofSeconds(90)).until(() -> events(ns.describe("arkrun", "c1")),
                    events -> !events.isEmpty() && events.get(events.size() - 1).endsWith("run succeeded"));
            // one Event per status write, or fewer when the writer fell behind and folded what waited
            assertThat(told).as("kubectl describe arkrun c1, its Events").hasSizeBetween(1, STEPS + 1);
            String text = String.join("; ", told);
            int at = -1;
            for (String transition : story) {
                int next = text.indexOf(transition, at + 1);
                assertThat(next).as("%s, after what came before it, in %s", transition, told).isGreaterThan(at);
                at = next;
            }
            for (String event : told) {
                String reason = event.contains("run succeeded") ? "RunSucceeded"
                        : event.contains(" succeeded (") ? "StepSucceeded" : "StepStarted";
                assertThat(event).as("headed by what says most of the run").startsWith(reason + " ");
            }

            Map<String, Long> writes = writesOn(audit, from, ns.name, "c1");
            assertThat(writes).as("the operator's writes on run c1 and its Events").containsExactlyInAnyOrderEntriesOf(Map.of(
                    "patch arkruns 200", 1L,
                    "patch arkruns/status 200", (long) STEPS + 1,
                    "create events 201", (long) told.size()));

            // a reconcile of a run with nothing new (here: a label someone adds) writes nothing
            ns.kubectl("label", "arkrun", "c1", "reviewed=yes").assertSuccess();
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                    .until(() -> writesOn(audit, from, ns.name, "c1").equals(writes));
        }
    }

    @Test
    void aRunCreatedWithItsTeamLabelAsArkCreatesThemCostsNoMetadataWrite() {
        AuditLog audit = new AuditLog(cluster.kube.auditLog());
        try (TestNamespace ns = TestNamespace.create(cluster, "labelled")) {
            ns.apply(chain()).assertSuccess();
            ns.awaitReadyPods("chain-w", 1);
            long from = audit.end();
            String run = dev.arkonis.ark.cli.RunRequest.create(cluster.admin, ns.name, "chain",
                    io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().createObjectNode())
                    .getMetadata().getName();
            ns.awaitPhase(run, RunPhase.Succeeded);

            Map<String, Long> writes = writesOn(audit, from, ns.name, run);
            assertThat(writes).as("the operator's writes on run %s", run).doesNotContainKey("patch arkruns 200")
                    .containsEntry("patch arkruns/status 200", (long) STEPS + 1);
        }
    }

    @Test
    void aRunThatStillCarriesTheFinalizerOfAnOlderArkIsReleasedWhenDeleted() {
        try (TestNamespace ns = TestNamespace.create(cluster, "legacy")) {
            ns.apply(chain()).assertSuccess();
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: old, finalizers: [arkruns.arkonis.dev/finalizer]}
                    spec: {teamRef: {name: chain}}
                    """).assertSuccess();
            eventually().until(() -> ns.run("old").getStatus() != null);
            ns.kubectl("delete", "arkrun", "old", "--wait=false").assertSuccess();
            eventually().until(() -> ns.run("old") == null);
        }
    }

    /** The operator's writes on the run and its Events since the offset, by verb, resource and answer. */
    private static Map<String, Long> writesOn(AuditLog audit, long from, String namespace, String run) {
        Map<String, Long> writes = new TreeMap<>();
        audit.writes(AuditLog.OPERATOR, from).stream()
                .filter(w -> w.namespace().equals(namespace) && w.concerns(run))
                .forEach(w -> writes.merge(w.kind(), 1L, Long::sum));
        return writes;
    }

    /** The Events section of {@code kubectl describe}, top to bottom: each as its reason and message. */
    private static List<String> events(String describe) {
        List<String> events = new ArrayList<>();
        boolean inEvents = false;
        for (String line : describe.split("\n")) {
            if (line.startsWith("Events:")) {
                inEvents = true;
                continue;
            }
            String[] columns = line.strip().split("\\s{2,}");
            if (inEvents && columns.length >= 5 && (columns[0].equals("Normal") || columns[0].equals("Warning"))) {
                events.add(columns[1] + " " + columns[4]);
            }
        }
        return events;
    }
}
