package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Rolling token budgets on the real cluster, with the suite's budget window of seconds (BUDGET_WINDOW_SECONDS
 * through the chart's extraEnv): the Deployment really goes to 0 and its pod really goes away, the agent comes
 * back by itself when the window frees the budget, and the {@code kubectl patch} of docs/troubleshooting.md lifts it
 * at once.
 */
@Order(20)
class BudgetIT {
    private static ArkCluster cluster;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        cluster.ark();
    }

    static String team(String name) {
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: %s}
                spec:
                  roles:
                    - {name: writer, model: m, provider: mock, limits: {maxDailyTokens: 10}}
                    - {name: reader, model: m, provider: mock, limits: {maxDailyTokens: 1000}}
                  pipeline:
                    - {name: draft, role: writer, inputs: {prompt: hello}}
                    - {name: again, role: writer, dependsOn: [draft], inputs: {prompt: hello again}}
                    - {name: read, role: reader, dependsOn: [again], inputs: {prompt: read it}}
                """.formatted(name);
    }

    static Optional<Condition> budgetCondition(ArkAgent agent) {
        if (agent == null || agent.getStatus() == null || agent.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return agent.getStatus().conditions().stream()
                .filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType())).findFirst();
    }

    static boolean exhausted(TestNamespace ns, String agent) {
        return budgetCondition(ns.agent(agent)).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static int deploymentReplicas(TestNamespace ns, String name) {
        return cluster.admin.apps().deployments().inNamespace(ns.name).withName(name).get().getSpec().getReplicas();
    }

    private static int pods(TestNamespace ns, String agent) {
        return (int) cluster.admin.pods().inNamespace(ns.name).withLabel(Ark.LABEL_AGENT, agent).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
    }

    @Test
    void aSpentBudgetScalesTheAgentToZeroAndItComesBackWhenTheWindowRotates() {
        try (TestNamespace ns = TestNamespace.create(cluster, "budget")) {
            ns.apply(team("thrifty")).assertSuccess();
            ns.startRun("r1", "thrifty", "{}");
            ns.awaitPhase("r1", RunPhase.Succeeded);

            eventually().until(() -> exhausted(ns, "thrifty-writer"));
            ArkAgent writer = ns.agent("thrifty-writer");
            assertThat(budgetCondition(writer).orElseThrow().getMessage()).isEqualTo("rolling 24h budget of 10 tokens exhausted");
            assertThat(writer.getSpec().effectiveReplicas()).as("spec.replicas keeps the desired count").isEqualTo(1);
            assertThat(deploymentReplicas(ns, "thrifty-writer")).isZero();
            eventually().until(() -> pods(ns, "thrifty-writer") == 0);
            eventually().until(() -> ns.agent("thrifty-writer").getStatus().replicas() == 0);
            Instant resetsAt = Instant.parse(ns.agent("thrifty-writer").getStatus().budgetResetsAt());
            assertThat(resetsAt).isBefore(Instant.now().plus(ArkRelease.BUDGET_WINDOW));
            eventually().untilAsserted(() -> assertThat(ns.eventReasons("thrifty-writer")).contains("BudgetExceeded"));
            assertThat(exhausted(ns, "thrifty-reader")).as("the reader's budget is its own").isFalse();

            // a run started now waits, and its waiting step says why and until when
            ns.startRun("r2", "thrifty", "{}");
            eventually().until(() -> ns.run("r2").getStatus().steps().get(0).phase() == StepPhase.Running
                    && ns.run("r2").getStatus().steps().get(0).message() != null);
            assertThat(ns.run("r2").getStatus().steps().get(0).message())
                    .startsWith("waiting: agent thrifty-writer is scaled to 0: rolling 24h budget of 10 tokens exhausted; it resumes at ");

            // nobody touches anything: the agent comes back when the oldest usage leaves the window
            eventually().atMost(ArkRelease.BUDGET_WINDOW.plusSeconds(30))
                    .until(() -> !exhausted(ns, "thrifty-writer") && deploymentReplicas(ns, "thrifty-writer") == 1);
            assertThat(Instant.now()).isAfterOrEqualTo(resetsAt);
            assertThat(ns.eventReasons("thrifty-writer")).contains("BudgetRestored");
            ns.awaitPhase("r2", RunPhase.Succeeded, Duration.ofSeconds(90));
        }
    }

    @Test
    void aRoleThatSetsNoBudgetRunsUnderTheChartsDefaultAndTheGuidesPatchLiftsIt() {
        try (TestNamespace ns = TestNamespace.create(cluster, "default-budget")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: plain}
                    spec:
                      roles:
                        - {name: writer, model: m, provider: mock, limits: {maxTokensPerCall: 100}}
                      pipeline: [{role: writer, inputs: {prompt: hello}}]
                    """).assertSuccess();
            // the API server keeps an unset maxDailyTokens unset: the chart's agentDefaults.maxDailyTokens applies
            eventually().untilAsserted(() -> assertThat(ns.agent("plain-writer").getStatus().budget())
                    .isEqualTo("0/1000000"));
            assertThat(ns.kubectl("get", "arkagent", "plain-writer", "-o", "jsonpath={.spec.limits}").assertSuccess()
                    .stdout()).contains("maxTokensPerCall").doesNotContain("maxDailyTokens");

            ns.kubectl("patch", "arkagent", "plain-writer", "--type=merge", "-p",
                    "{\"spec\":{\"limits\":{\"maxDailyTokens\":0}}}").assertSuccess();
            eventually().untilAsserted(() -> assertThat(ns.agent("plain-writer").getStatus().budget())
                    .isEqualTo("0/unlimited"));
        }
    }

    @Test
    void theGuidesPatchOfMaxDailyTokensToZeroLiftsTheBudgetAtOnce() {
        try (TestNamespace ns = TestNamespace.create(cluster, "patch")) {
            ns.apply(team("spender")).assertSuccess();
            ns.startRun("r1", "spender", "{}");
            eventually().until(() -> exhausted(ns, "spender-writer") && deploymentReplicas(ns, "spender-writer") == 0);
            Instant resetsAt = Instant.parse(ns.agent("spender-writer").getStatus().budgetResetsAt());

            Command.Result patch = ns.kubectl("patch", "arkagent", "spender-writer", "--type=merge", "-p",
                    "{\"spec\":{\"limits\":{\"maxDailyTokens\":0}}}").assertSuccess();
            assertThat(patch.stdout()).contains("arkagent.arkonis.dev/spender-writer patched");
            eventually().until(() -> !exhausted(ns, "spender-writer") && deploymentReplicas(ns, "spender-writer") == 1);
            assertThat(Instant.now()).as("lifted before the window would have freed it").isBefore(resetsAt);
            assertThat(ns.agent("spender-writer").getStatus().budget()).endsWith("/unlimited");
            ns.awaitReadyPods("spender-writer", 1);
        }
    }
}
