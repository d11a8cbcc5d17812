package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkTeam;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** RECONCILE_THREADS bounds the reconciles at once, on named threads; every thread costs memory. */
class ReconcileThreadsTest {

    /** Threads of that name started since {@code before}: an earlier test's pools may still be winding down. */
    private static List<String> threads(String prefix, Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }

    @Test
    void manyTeamsAtOnceAreReconciledOnNoMoreThreadsThanTheSettingAllows() {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        try (MockCluster cluster = new MockCluster(MockCluster.env("RECONCILE_THREADS", "2"))) {
            List<String> names = IntStream.range(0, 12).mapToObj(i -> "team-" + i).toList();
            names.parallelStream().forEach(name -> cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: %s, namespace: threads}
                    spec:
                      roles: [{name: w, model: m, provider: mock}]
                      pipeline: [{role: w, inputs: {prompt: hi}}]
                    """.formatted(name), ArkTeam.class));
            // each team's agent and each agent's Deployment: reconciles and dependents of 24 objects
            eventually().untilAsserted(() -> assertThat(names).allSatisfy(name -> assertThat(cluster.client.apps()
                    .deployments().inNamespace("threads").withName(name + "-w").get()).isNotNull()));

            assertThat(threads("ark-", before)).as("the operator's own pools did the work")
                    .anyMatch(n -> n.startsWith("ark-reconcile-") || n.startsWith("ark-dependents-"));
            assertThat(threads("ark-reconcile-", before)).hasSizeLessThanOrEqualTo(2);
            assertThat(threads("ark-dependents-", before)).hasSizeLessThanOrEqualTo(2);
        }
    }
}
