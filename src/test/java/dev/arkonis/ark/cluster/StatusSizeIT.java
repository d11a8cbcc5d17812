package dev.arkonis.ark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * etcd's object size limit (about 1.5 MiB a request) on the real server: a run whose outputs add up to more than
 * that finishes, its status stays under a total budget, the steps whose outputs were cut say so, and the whole
 * outputs stay retrievable with {@code ark status}.
 */
@Order(40)
class StatusSizeIT {
    private static final int STEPS = 60;
    private static final int OUTPUT_CHARS = 40_000;
    private static final int STATUS_BUDGET_BYTES = 512 * 1024;
    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
    }

    /** 60 independent steps, each asked (through its output schema) for a text of 40,000 characters. */
    private static String bigTeam() {
        String schema = ClusterTeams.longTextSchema(OUTPUT_CHARS);
        String steps = IntStream.rangeClosed(1, STEPS).mapToObj(i -> "    - {name: part" + i
                + ", role: writer, outputSchema: \"" + schema + "\", inputs: {prompt: \"part " + i + "\"}}")
                .collect(Collectors.joining("\n"));
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: big}
                spec:
                  roles: [{name: writer, model: m, provider: mock, limits: {maxConcurrentTasks: 10}}]
                  output: "{{ .steps.part1.output }}"
                  pipeline:
                %s
                """.formatted(steps);
    }

    @Test
    void aRunWhoseOutputsExceedTheObjectLimitFinishesWithItsStatusInBudgetAndItsOutputsRetrievable() {
        try (TestNamespace ns = TestNamespace.create(cluster, "sizes")) {
            ns.apply(bigTeam()).assertSuccess();
            ns.startRun("huge", "big", "{}");
            RunStatus status = ns.awaitPhase("huge", RunPhase.Succeeded, Duration.ofSeconds(90));

            int statusBytes = io.fabric8.kubernetes.client.utils.Serialization.asJson(status)
                    .getBytes(StandardCharsets.UTF_8).length;
            long outputs = (long) STEPS * OUTPUT_CHARS;
            assertThat(outputs).as("the outputs together exceed what etcd takes in one object").isGreaterThan(1_572_864);
            // at most the budget (OutputBudget's contract): when the room beside the rest divides evenly among the
            // cut outputs the status fills it to the byte, as the varying digits of steps' queueWaitMs can make it
            assertThat(statusBytes).as("the whole status stays within its budget").isLessThanOrEqualTo(STATUS_BUDGET_BYTES);
            assertThat(status.steps()).allSatisfy(s -> {
                if (s.output() == null || s.output().length() < OUTPUT_CHARS) {
                    assertThat(s.outputTruncated()).as("step " + s.name() + " says its output was cut").isTrue();
                }
            });

            // the whole output of a cut step, as `ark status` shows it with the queue's address
            StepStatus last = status.steps().get(STEPS - 1);
            Command.Result shown = cluster.ark(ark.redisEnv(), "status", "huge", "-n", ns.name).assertSuccess();
            String marker = "--- " + last.name() + " output";
            assertThat(shown.stdout()).contains(marker);
            String text = shown.stdout().substring(shown.stdout().indexOf(marker));
            text = text.substring(text.indexOf('\n') + 1);
            int end = text.indexOf("\n---");
            String whole = end < 0 ? text : text.substring(0, end);
            assertThat(whole.strip().length()).as("ark status prints the whole output").isGreaterThanOrEqualTo(OUTPUT_CHARS);
        }
    }
}
