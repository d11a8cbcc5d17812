package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling token budgets with a window shortened to seconds (BUDGET_WINDOW_SECONDS), so the window can be
 * seen to rotate; everything else is as in a cluster: real Redis ledger, agents started from their Deployments.
 */
class BudgetTest {
    private static final String NS = "budgets";

    private RedisFixture redis;
    private RedisConnections connections;
    private MockCluster cluster;
    private PodAgents agents;

    private void start(int windowSeconds, String... operatorEnv) {
        redis = RedisFixture.start();
        try {
            connections = RedisConnections.open(redis.url());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        java.util.Map<String, String> env = MockCluster.env("TASK_QUEUE_URL", redis.url(),
                "BUDGET_WINDOW_SECONDS", Integer.toString(windowSeconds));
        for (int i = 0; i < operatorEnv.length; i += 2) {
            env.put(operatorEnv[i], operatorEnv[i + 1]);
        }
        cluster = MockCluster.withRuns(env, connections);
        agents = new PodAgents(cluster.client);
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    private void team(String name, long writerLimit, long readerLimit) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: %s, namespace: budgets}
                spec:
                  roles:
                    - {name: writer, model: m, provider: mock, limits: {maxDailyTokens: %d}}
                    - {name: reader, model: m, provider: mock, limits: {maxDailyTokens: %d}}
                  pipeline:
                    - {name: draft, role: writer, inputs: {prompt: hello}}
                    - {name: again, role: writer, dependsOn: [draft], inputs: {prompt: hello again}}
                    - {name: read, role: reader, dependsOn: [again], inputs: {prompt: read it}}
                """.formatted(name, writerLimit, readerLimit), ArkTeam.class);
    }

    private ArkRun run(String name, String team) {
        return cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: budgets}
                spec: {teamRef: {name: %s}}
                """.formatted(name, team), ArkRun.class);
    }

    private ArkRun getRun(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private ArkAgent agent(String name) {
        return cluster.client.resources(ArkAgent.class).inNamespace(NS).withName(name).get();
    }

    private int deploymentReplicas(String name) {
        Deployment d = cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
        return d.getSpec().getReplicas();
    }

    private static Optional<Condition> budgetCondition(ArkAgent agent) {
        if (agent.getStatus() == null || agent.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return agent.getStatus().conditions().stream()
                .filter(c -> Ark.CONDITION_BUDGET_EXCEEDED.equals(c.getType())).findFirst();
    }

    private boolean exhausted(String agent) {
        return budgetCondition(agent(agent)).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private List<String> eventReasons(String object) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> object.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    private void startAgents(String team) throws Exception {
        agents.start(NS, team + "-writer");
        agents.start(NS, team + "-reader");
    }

    @Test
    void anAgentOverItsBudgetIsScaledToZeroAndComesBackWhenTheWindowRotates() throws Exception {
        start(8);
        team("thrifty", 10, 1000);
        startAgents("thrifty");
        run("r1", "thrifty");
        eventually().until(() -> getRun("r1").getStatus() != null && getRun("r1").getStatus().phase() == RunPhase.Succeeded);

        // the writer spent two tasks' tokens against a budget of 10
        eventually().until(() -> exhausted("thrifty-writer"));
        ArkAgent writer = agent("thrifty-writer");
        assertThat(budgetCondition(writer).orElseThrow().getMessage()).isEqualTo("rolling 24h budget of 10 tokens exhausted");
        assertThat(writer.getSpec().effectiveReplicas()).as("spec.replicas keeps the desired count").isEqualTo(1);
        assertThat(deploymentReplicas("thrifty-writer")).isZero();
        eventually().until(() -> agent("thrifty-writer").getStatus().replicas() == 0);
        writer = agent("thrifty-writer");
        assertThat(writer.getStatus().dailyTokenUsage().totalTokens()).isGreaterThanOrEqualTo(10);
        assertThat(writer.getStatus().budget()).isEqualTo(writer.getStatus().dailyTokenUsage().totalTokens() + "/10");
        Instant resetsAt = Instant.parse(writer.getStatus().budgetResetsAt());
        assertThat(resetsAt).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(9));
        eventually().untilAsserted(() -> assertThat(eventReasons("thrifty-writer")).contains("BudgetExceeded"));
        assertThat(exhausted("thrifty-reader")).as("the reader's budget is its own").isFalse();

        // a run started now waits, and its waiting step says why and until when
        run("r2", "thrifty");
        eventually().until(() -> getRun("r2").getStatus() != null && getRun("r2").getStatus().steps() != null
                && getRun("r2").getStatus().steps().get(0).phase() == StepPhase.Running
                && getRun("r2").getStatus().steps().get(0).message() != null);
        assertThat(getRun("r2").getStatus().steps().get(0).message())
                .startsWith("waiting: agent thrifty-writer is scaled to 0: rolling 24h budget of 10 tokens exhausted; it resumes at ");

        // nobody touches anything: the operator comes back by itself when the oldest usage leaves the window
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> !exhausted("thrifty-writer") && deploymentReplicas("thrifty-writer") == 1);
        assertThat(Instant.now()).isAfterOrEqualTo(resetsAt);
        assertThat(eventReasons("thrifty-writer")).contains("BudgetRestored");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> getRun("r2").getStatus().phase() == RunPhase.Succeeded);
        assertThat(getRun("r2").getStatus().steps().get(0).message()).isNull();
    }

    @Test
    void aCostBudgetWarnsAtItsShareThenScalesToZeroLikeTokensAndComesBackWhenTheWindowRotates() throws Exception {
        start(10, "BUDGET_WARNING_PERCENT", "50");
        // a dollar a thousand tokens: each mock task here costs about a cent (its prompt's and answer's tokens)
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkModel
                metadata: {name: pricey, namespace: budgets}
                spec: {provider: mock, model: m, prices: {input: 1000, output: 1000}}
                """, dev.arkonis.ark.api.ArkModel.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: costly, namespace: budgets}
                spec:
                  roles:
                    - {name: writer, model: pricey, provider: mock, limits: {maxDailyTokens: 0, maxDailyCost: 0.012}}
                    - {name: reader, model: m, provider: mock, limits: {maxDailyTokens: 0}}
                  pipeline:
                    - {name: draft, role: writer, inputs: {prompt: hello}}
                    - {name: read, role: reader, dependsOn: [draft], inputs: {prompt: read it}}
                """, ArkTeam.class);
        startAgents("costly");
        run("c1", "costly");
        eventually().until(() -> getRun("c1").getStatus() != null && getRun("c1").getStatus().phase() == RunPhase.Succeeded);
        java.math.BigDecimal taskCost = getRun("c1").getStatus().totalTokenUsage().costUSD();
        assertThat(taskCost).as("the step's tokens at the ArkModel's prices").isBetween(new java.math.BigDecimal("0.006"),
                new java.math.BigDecimal("0.0119"));

        // past half the budget: a warning, the agent still runs
        eventually().untilAsserted(() -> assertThat(eventReasons("costly-writer")).contains("BudgetWarning"));
        assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "BudgetWarning".equals(e.getReason())).findFirst().orElseThrow().getMessage())
                .matches("50% of the rolling 24h budget used: \\$0\\.0\\d+ of \\$0\\.012; at the limit the agent is scaled to 0");
        assertThat(agent("costly-writer").getStatus().conditions()).filteredOn(c -> "BudgetWarning".equals(c.getType()))
                .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(exhausted("costly-writer")).isFalse();

        // the next task spends it: scaled to 0 as for tokens
        run("c2", "costly");
        eventually().until(() -> exhausted("costly-writer"));
        ArkAgent writer = agent("costly-writer");
        assertThat(budgetCondition(writer).orElseThrow().getMessage()).isEqualTo("rolling 24h budget of $0.012 exhausted");
        assertThat(deploymentReplicas("costly-writer")).isZero();
        assertThat(writer.getStatus().dailyTokenUsage().costUSD()).isGreaterThanOrEqualTo(new java.math.BigDecimal("0.012"));
        assertThat(writer.getStatus().budget()).matches("\\d+/unlimited, \\$0\\.0\\d+/\\$0\\.012");
        eventually().untilAsserted(() -> assertThat(eventReasons("costly-writer"))
                .containsSubsequence("BudgetWarning", "BudgetExceeded"));
        assertThat(exhausted("costly-reader")).isFalse();
        assertThat(eventReasons("costly-reader")).as("no price known: nothing to warn of").doesNotContain("BudgetWarning");

        // the 10 s window rotates: back by itself
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> !exhausted("costly-writer") && deploymentReplicas("costly-writer") == 1);
        assertThat(eventReasons("costly-writer")).contains("BudgetRestored");
    }

    @Test
    void deletingRunsDoesNotResetUsageAndPatchingTheLimitToZeroLiftsItAtOnce() throws Exception {
        start(600);
        team("spender", 10, 1000);
        startAgents("spender");
        run("r1", "spender");
        eventually().until(() -> exhausted("spender-writer"));
        long spent = agent("spender-writer").getStatus().dailyTokenUsage().totalTokens();

        cluster.client.resources(ArkRun.class).inNamespace(NS).delete();
        eventually().until(() -> cluster.client.resources(ArkRun.class).inNamespace(NS).list().getItems().isEmpty());
        cluster.edit(ArkAgent.class, NS, "spender-writer", a -> {
                    a.getMetadata().getAnnotations().put("touched", "1");
                    return a;
                });
        assertThat(exhausted("spender-writer")).isTrue();
        assertThat(agent("spender-writer").getStatus().dailyTokenUsage().totalTokens()).isEqualTo(spent);

        // kubectl patch arkagent spender-writer --type=merge -p '{"spec":{"limits":{"maxDailyTokens":0}}}'
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("spender-writer")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"maxDailyTokens\":0}}}");
        eventually().until(() -> !exhausted("spender-writer") && deploymentReplicas("spender-writer") == 1);
        assertThat(dev.arkonis.ark.cli.StatusCommandProbe.list(cluster, NS))
                .containsPattern("spender-writer\\s+\\d/1\\s+" + spent + "\\s+" + spent + "/unlimited");
        assertThat(agent("spender-writer").getStatus().budget()).endsWith("/unlimited");

        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("spender-writer")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"maxDailyTokens\":10}}}");
        eventually().until(() -> exhausted("spender-writer") && deploymentReplicas("spender-writer") == 0);
        assertThat(dev.arkonis.ark.cli.StatusCommandProbe.list(cluster, NS))
                .containsPattern("spender-writer\\s+\\d/1\\s+" + spent + "\\s+" + spent
                        + "/10\\s+BudgetExceeded: rolling 24h budget of 10 tokens exhausted; resumes at ");
    }

    @Test
    void anAgentThatSetsNoBudgetRunsUnderTheOperatorsDefaultAndAnExplicitZeroLiftsIt() throws Exception {
        start(600, "AGENT_MAX_DAILY_TOKENS", "10");
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: unset, namespace: budgets}
                spec:
                  roles:
                    - {name: writer, model: m, provider: mock}
                    - {name: reader, model: m, provider: mock, limits: {maxDailyTokens: 0}}
                  pipeline:
                    - {name: draft, role: writer, inputs: {prompt: hello}}
                    - {name: again, role: writer, dependsOn: [draft], inputs: {prompt: hello again}}
                    - {name: read, role: reader, dependsOn: [again], inputs: {prompt: read it at length}}
                """, ArkTeam.class);
        startAgents("unset");
        run("r1", "unset");

        eventually().until(() -> exhausted("unset-writer") && deploymentReplicas("unset-writer") == 0);
        assertThat(budgetCondition(agent("unset-writer")).orElseThrow().getMessage())
                .isEqualTo("rolling 24h budget of 10 tokens exhausted");
        assertThat(agent("unset-writer").getSpec().limits()).as("unset stays unset").isNull();
        Deployment writer = cluster.client.apps().deployments().inNamespace(NS).withName("unset-writer").get();
        assertThat(writer.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("AGENT_DAILY_TOKEN_LIMIT")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("10"));
        // the reader's explicit 0 is no budget, whatever the default
        eventually().until(() -> agent("unset-reader").getStatus().budget().endsWith("/unlimited"));
        assertThat(exhausted("unset-reader")).isFalse();

        // kubectl patch arkagent unset-writer --type=merge -p '{"spec":{"limits":{"maxDailyTokens":0}}}'
        cluster.client.resources(ArkAgent.class).inNamespace(NS).withName("unset-writer")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"maxDailyTokens\":0}}}");
        eventually().until(() -> !exhausted("unset-writer") && deploymentReplicas("unset-writer") == 1);
        assertThat(agent("unset-writer").getStatus().budget()).endsWith("/unlimited");
    }

    @Test
    void budgetsBelongToOneAgentOfOneTeam() throws Exception {
        start(600);
        team("alpha", 10, 1000);
        team("beta", 10, 1000);
        startAgents("alpha");
        startAgents("beta");
        run("a1", "alpha");
        eventually().until(() -> exhausted("alpha-writer"));
        eventually().until(() -> getRun("a1").getStatus().phase() == RunPhase.Succeeded);
        assertThat(exhausted("alpha-reader")).as("another role of the same team").isFalse();
        assertThat(deploymentReplicas("alpha-reader")).isEqualTo(1);
        assertThat(exhausted("beta-writer")).as("the same role of another team in the namespace").isFalse();
        assertThat(agent("beta-writer").getStatus() == null || agent("beta-writer").getStatus().dailyTokenUsage() == null
                || agent("beta-writer").getStatus().dailyTokenUsage().totalTokens() == 0).isTrue();
        assertThat(deploymentReplicas("beta-writer")).isEqualTo(1);
    }
}
