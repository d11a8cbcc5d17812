package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dynamic, routed and registryLookup teams through the whole loop as in a cluster: mock API server, real Redis with
 * each agent's own ACL user, agents started from their Deployments, the mock model delegating and routing as its
 * markers say.
 */
class TeamModesLoopTest {
    private static final String NS = "modes";

    private RedisFixture redis;
    private MockCluster cluster;
    private PodAgents agents;
    private RedisConnections connections;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        cluster = MockCluster.withRuns(MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0"),
                connections);
        agents = new PodAgents(cluster.client);
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.close();
        redis.close();
    }

    private void run(String name, String team, String inputJson) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: modes}
                spec:
                  teamRef: {name: %s}
                  input: %s
                """.formatted(name, team, inputJson), ArkRun.class);
    }

    private ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private RunStatus awaitPhase(String name, RunPhase phase) {
        try {
            eventually().until(() -> get(name).getStatus() != null && get(name).getStatus().phase() == phase);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + name + " never reached " + phase + "; status: " + get(name).getStatus(), e);
        }
        return get(name).getStatus();
    }

    private static Map<String, StepStatus> steps(RunStatus status) {
        return status.steps().stream().collect(Collectors.toMap(StepStatus::name, s -> s));
    }

    private static final String DESK = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: desk, namespace: modes}
            spec:
              entry: coordinator
              inputs: [{name: ticket, type: string, required: true}]
              roles:
                - {name: coordinator, model: m, provider: mock, canDelegate: [billing, technical]}
                - {name: billing, model: m, provider: mock}
                - {name: technical, model: m, provider: mock, canDelegate: [billing]}
            """;

    @Test
    void aDynamicRunsDelegateCallsBecomeChildStepsOnTheTargetRolesAgentsAndTheirAnswersComeBack() throws Exception {
        cluster.create(DESK, ArkTeam.class);
        agents.start(NS, "desk-coordinator");
        agents.start(NS, "desk-billing");
        agents.start(NS, "desk-technical");
        run("d1", "desk", "{ticket: '[mock:delegate billing refund invoice 7] [mock:delegate technical check the login page]'}");

        RunStatus status = awaitPhase("d1", RunPhase.Succeeded);
        Map<String, StepStatus> steps = steps(status);
        assertThat(steps).containsOnlyKeys("coordinator", "billing-1", "technical-1");
        assertThat(steps.get("billing-1").parent()).isEqualTo("coordinator");
        assertThat(steps.get("billing-1").delegation()).satisfies(d -> {
            assertThat(d.call()).isEqualTo(1);
            assertThat(d.depth()).isEqualTo(1);
            assertThat(d.parentAttempt()).isEqualTo(1);
            assertThat(d.task()).isEqualTo("refund invoice 7");
        });
        assertThat(steps.get("technical-1").delegation().call()).isEqualTo(2);
        assertThat(steps.get("billing-1").output()).isEqualTo("mock answer to: refund invoice 7");
        assertThat(steps.get("billing-1").taskID()).isEqualTo("d1/billing-1/1");
        assertThat(steps.get("billing-1").role()).isEqualTo("billing");
        // each child ran on its role's own stream, and each answer went back into its caller's tool loop
        assertThat(redis.redis().xlen("modes.desk.billing.results")).isEqualTo(1);
        assertThat(redis.redis().xlen("modes.desk.technical.results")).isEqualTo(1);
        assertThat(steps.get("coordinator").output()).contains("[tool delegate] mock answer to: refund invoice 7")
                .contains("[tool delegate] mock answer to: check the login page");
        assertThat(status.output()).isEqualTo(steps.get("coordinator").output());
        assertThat(status.totalTokenUsage().totalTokens())
                .isEqualTo(status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum());
    }

    @Test
    void aRoutedRunsTaskRunsOnTheStandaloneAgentHoldingTheChosenCapabilityAndSaysWhy() throws Exception {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRegistry
                metadata: {name: desk-registry, namespace: modes}
                spec: {policy: {maxDepth: 1}}
                """, ArkRegistry.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: billing-specialist, namespace: modes}
                spec:
                  model: m
                  provider: mock
                  capabilities: [{id: invoice-questions, description: "Charges, invoices and refunds.", tags: [billing]}]
                """, ArkAgent.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: generalist, namespace: modes}
                spec: {model: m, provider: mock}
                """, ArkAgent.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: help, namespace: modes}
                spec:
                  inputs: [{name: task, type: string, required: true}]
                  routing: {registryRef: {name: desk-registry}, model: m, provider: mock, fallback: generalist}
                """, ArkTeam.class);
        // the registry's status lists the agents that declare capabilities, and each capability's agents
        eventually().untilAsserted(() -> {
            var status = cluster.client.resources(ArkRegistry.class).inNamespace(NS).withName("desk-registry").get()
                    .getStatus();
            assertThat(status.agentCount()).isEqualTo(1);
            assertThat(status.capabilityCount()).isEqualTo(1);
            assertThat(status.agents()).singleElement().satisfies(a -> {
                assertThat(a.name()).isEqualTo("billing-specialist");
                assertThat(a.team()).isNull();
                assertThat(a.queue()).isEqualTo("modes.billing-specialist");
                assertThat(a.capabilities()).containsExactly("invoice-questions");
            });
            assertThat(status.capabilities()).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("invoice-questions");
                assertThat(c.agents()).containsExactly("billing-specialist");
            });
        });
        agents.start(NS, "help-router");
        agents.start(NS, "billing-specialist");
        agents.start(NS, "generalist");
        run("r1", "help", "{task: '[mock:route invoice-questions] why was I charged twice?'}");

        StepStatus route = steps(awaitPhase("r1", RunPhase.Succeeded)).get("route");
        assertThat(route.resolvedAgent()).isEqualTo("billing-specialist");
        assertThat(route.selectedCapability()).isEqualTo("invoice-questions");
        assertThat(route.routingReason()).isNotBlank();
        assertThat(route.output()).contains("why was I charged twice?");
        assertThat(redis.redis().xlen("modes.billing-specialist.results")).as("answered on its own queue").isEqualTo(1);

        run("r2", "help", "{task: 'the weather tomorrow'}");
        StepStatus fallback = steps(awaitPhase("r2", RunPhase.Succeeded)).get("route");
        assertThat(fallback.resolvedAgent()).isEqualTo("generalist");
        assertThat(fallback.selectedCapability()).isNull();
        assertThat(fallback.routingReason()).contains("fallback generalist");
    }

    @Test
    void aLookupStepGetsTheLeastBusyAgentWithTheCapabilityWithoutAModelCall() throws Exception {
        for (String name : new String[] {"scholar-a", "scholar-b"}) {
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: %s, namespace: modes}
                    spec:
                      model: m
                      provider: mock
                      capabilities: [{id: research.academic, tags: [deep]}]
                    """.formatted(name), ArkAgent.class);
        }
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: papers, namespace: modes}
                spec:
                  roles: [{name: editor, model: m, provider: mock}]
                  pipeline:
                    - role: researcher
                      registryLookup: {capability: research.academic, tags: [deep], strategy: least-busy}
                      inputs: {prompt: "survey ants"}
                    - {role: editor, dependsOn: [researcher], inputs: {prompt: "edit {{ .steps.researcher.output }}"}}
                """, ArkTeam.class);
        // scholar-a is busy with a task nobody takes: the lookup picks scholar-b
        redis.redis().xadd("modes.scholar-a", Map.of("task", "other/x/1", "prompt", "busy", "replyTo", "nowhere"));
        agents.start(NS, "scholar-b");
        agents.start(NS, "papers-editor");
        run("l1", "papers", "{}");

        Map<String, StepStatus> steps = steps(awaitPhase("l1", RunPhase.Succeeded));
        assertThat(steps.get("researcher").resolvedAgent()).isEqualTo("scholar-b");
        assertThat(steps.get("researcher").selectedCapability()).isEqualTo("research.academic");
        assertThat(steps.get("researcher").routingReason()).startsWith("least-busy: scholar-b with 0 task(s)");
        assertThat(steps.get("editor").output()).isEqualTo("mock answer to: edit mock answer to: survey ants");
        assertThat(steps.get("researcher").phase()).isEqualTo(StepPhase.Succeeded);
    }
}
