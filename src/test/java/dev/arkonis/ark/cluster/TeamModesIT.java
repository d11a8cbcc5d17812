package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisCommandExecutionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The team modes on the real control plane, with the chart's Redis and agents as pods under their own Redis users:
 * the API server takes registries, capabilities and autoscaling and shows their columns (and refuses dotted names);
 * a dynamic run's delegate calls become child steps run by other roles' agent pods; a routed run's task runs on the
 * standalone agent the router chose; an autoscaled role goes to zero when idle and warms up for the next task. Before
 * LeastPrivilegeIT, whose audit log must show the operator using what it is granted for these (registries' status).
 */
@Order(15)
class TeamModesIT {
    private static ArkCluster cluster;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        cluster.ark();
    }

    private static Map<String, StepStatus> steps(RunStatus status) {
        return status.steps().stream().collect(Collectors.toMap(StepStatus::name, s -> s));
    }

    private static int deploymentReplicas(TestNamespace ns, String name) {
        return cluster.admin.apps().deployments().inNamespace(ns.name).withName(name).get().getSpec().getReplicas();
    }

    @Test
    void theApiServerTakesRegistriesCapabilitiesAndAutoscalingShowsTheirColumnsAndRefusesDottedNames() {
        try (TestNamespace ns = TestNamespace.create(cluster, "registry")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRegistry
                    metadata: {name: desk-registry}
                    spec:
                      scope: namespace-scoped
                      policy: {maxDepth: 2, allowCrossTeam: false}
                    ---
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: billing-specialist}
                    spec:
                      model: m
                      provider: mock
                      replicas: 0
                      capabilities:
                        - {id: invoice-questions, description: "Charges and refunds.", tags: [billing]}
                        - {id: refunds, tags: [billing]}
                    ---
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: web-specialist}
                    spec:
                      model: m
                      provider: mock
                      replicas: 0
                      autoscaling: {enabled: true, scaleToZero: {enabled: true, afterSeconds: 30}}
                      capabilities: [{id: page-rendering, tags: [web]}]
                    """).assertSuccess();
            eventually().untilAsserted(() -> {
                var status = cluster.admin.resources(ArkRegistry.class).inNamespace(ns.name).withName("desk-registry")
                        .get().getStatus();
                assertThat(status.agentCount()).isEqualTo(2);
                assertThat(status.capabilityCount()).isEqualTo(3);
            });
            String registries = ns.kubectl("get", "arkregistries").assertSuccess().stdout();
            assertThat(registries.lines().findFirst().orElseThrow())
                    .contains("SCOPE", "AGENTS", "CAPABILITIES", "MAX DEPTH", "AGE");
            assertThat(registries).containsPattern("desk-registry\\s+namespace-scoped\\s+2\\s+3\\s+2");
            assertThat(ns.kubectl("get", "arkagents").assertSuccess().stdout().lines().findFirst().orElseThrow())
                    .contains("DESIRED");
            assertThat(ns.describe("arkregistry", "desk-registry")).contains("invoice-questions", "billing-specialist");

            Command.Result dotted = ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: desk.triage}
                    spec: {model: m}
                    """);
            assertThat(dotted.exitCode()).isNotZero();
            assertThat(dotted.stderr()).contains("the name must not contain '.'");
        }
    }

    @Test
    void aDynamicRunsDelegateCallsRunAsChildStepsOnOtherRolesAgentPods() {
        try (TestNamespace ns = TestNamespace.create(cluster, "dynamic")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: desk}
                    spec:
                      entry: coordinator
                      inputs: [{name: ticket, type: string, required: true}]
                      roles:
                        - {name: coordinator, model: m, provider: mock, canDelegate: [billing]}
                        - {name: billing, model: m, provider: mock}
                    """).assertSuccess();
            ns.awaitReadyPods("desk-coordinator", 1);
            ns.awaitReadyPods("desk-billing", 1);
            Command.Result submitted = cluster.ark("submit", "--team", "desk", "-n", ns.name,
                    "[mock:delegate billing refund invoice 7] the customer was charged twice");
            submitted.assertSuccess();
            String run = submitted.stdout().replaceAll("(?s).*arkrun (\\S+) created.*", "$1");

            RunStatus status = ns.awaitPhase(run, RunPhase.Succeeded, Duration.ofSeconds(120));
            Map<String, StepStatus> steps = steps(status);
            assertThat(steps).containsOnlyKeys("coordinator", "billing-1");
            StepStatus child = steps.get("billing-1");
            assertThat(child.parent()).isEqualTo("coordinator");
            assertThat(child.role()).isEqualTo("billing");
            assertThat(child.delegation().task()).isEqualTo("refund invoice 7");
            assertThat(child.output()).isEqualTo("mock answer to: refund invoice 7");
            assertThat(steps.get("coordinator").output()).contains("[tool delegate] mock answer to: refund invoice 7");
            assertThat(ns.describe("arkrun", run)).contains("billing-1", "Parent:", "coordinator");
            eventually().untilAsserted(() -> assertThat(ns.story(run))
                    .contains("step coordinator started (role", "step billing-1 succeeded (", "run succeeded"));
            assertThat(ns.eventReasons(run)).contains("RunSucceeded");
        }
    }

    @Test
    void aRoutedRunsTaskRunsOnTheStandaloneAgentTheRouterChose() {
        try (TestNamespace ns = TestNamespace.create(cluster, "routed")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRegistry
                    metadata: {name: desk-registry}
                    spec: {policy: {maxDepth: 1}}
                    ---
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkAgent
                    metadata: {name: billing-specialist}
                    spec:
                      model: m
                      provider: mock
                      capabilities: [{id: invoice-questions, description: "Charges, invoices and refunds."}]
                    ---
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: help}
                    spec:
                      inputs: [{name: task, type: string, required: true}]
                      routing: {registryRef: {name: desk-registry}, model: m, provider: mock, fallback: generalist}
                    """).assertSuccess();
            ns.awaitReadyPods("help-router", 1);
            ns.awaitReadyPods("billing-specialist", 1);
            ns.startRun("r1", "help", "{task: '[mock:route invoice-questions] why two charges?'}");

            StepStatus route = steps(ns.awaitPhase("r1", RunPhase.Succeeded, Duration.ofSeconds(120))).get("route");
            assertThat(route.resolvedAgent()).isEqualTo("billing-specialist");
            assertThat(route.selectedCapability()).isEqualTo("invoice-questions");
            assertThat(route.routingReason()).isNotBlank();
            assertThat(route.output()).isEqualTo("mock answer to: [mock:route invoice-questions] why two charges?");
            assertThat(ns.agent("billing-specialist").getStatus().queue()).isEqualTo(ns.name + ".billing-specialist");

            // the standalone agent's own Redis user: its queue's keys (results, delegate answers), nothing of the team's
            Secret secret = cluster.admin.secrets().inNamespace(ns.name).withName("billing-specialist-queue-credentials")
                    .get();
            String own = ns.name + ".billing-specialist";
            String router = ns.name + ".help.router";
            try (QueueProbe operator = new QueueProbe(cluster.ark().redisUrl())) {
                // as the operator answers a delegate call
                operator.redis().rpush(own + ".replies.probe.1", "x");
            }
            QueueSecurityIT.asUser(cluster.ark(), QueueSecurityIT.decode(secret, "username"),
                    QueueSecurityIT.decode(secret, "password"), r -> {
                        r.xadd(own + ".results", Map.of("kind", "delegate", "task", "probe"));
                        assertThat(r.blpop(1, own + ".replies.probe.1").getValue()).isEqualTo("x");
                        for (String key : List.of(router, router + ".results", router + ".replies.r1/route/1.1")) {
                            assertThatThrownBy(() -> r.xadd(key, Map.of("task", "forged"))).as(key)
                                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
                        }
                        assertThatThrownBy(() -> r.blpop(1, router + ".replies.r1/route/1.1"))
                                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
                        return true;
                    });
        }
    }

    @Test
    void anIdleAutoscaledRoleGoesToZeroAndWarmsUpForTheNextTask() {
        try (TestNamespace ns = TestNamespace.create(cluster, "autoscale")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: sleepy}
                    spec:
                      autoscaling: {enabled: true, scaleToZero: {enabled: true, afterSeconds: 5}}
                      roles: [{name: worker, model: m, provider: mock, replicas: 3}]
                      pipeline: [{role: worker, inputs: {prompt: "wake up"}}]
                    """).assertSuccess();
            // idle from the start: one pod at most, then none once the idle time is up
            eventually().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(deploymentReplicas(ns, "sleepy-worker")).isZero();
                assertThat(ns.agent("sleepy-worker").getStatus().desiredReplicas()).isZero();
                assertThat(ns.agent("sleepy-worker").getStatus().idleSince()).isNotNull();
            });
            ns.awaitNoPods("sleepy-worker");
            assertThat(ns.team("sleepy").getStatus().phase().name()).as("a role asleep is not missing").isEqualTo("Ready");

            ns.startRun("w1", "sleepy", "{}");
            eventually().until(() -> ns.run("w1").getStatus() != null && ns.run("w1").getStatus().steps() != null
                    && ns.run("w1").getStatus().steps().get(0).phase() == StepPhase.WarmingUp);
            assertThat(ns.run("w1").getStatus().steps().get(0).waitingFor()).contains("sleepy-worker");
            eventually().until(() -> deploymentReplicas(ns, "sleepy-worker") == 1);
            RunStatus done = ns.awaitPhase("w1", RunPhase.Succeeded, Duration.ofSeconds(120));
            assertThat(done.steps().get(0).output()).isEqualTo("mock answer to: wake up");
            assertThat(ns.events("sleepy-worker")).anyMatch(e -> e.startsWith("Normal AutoscaleAgent: scaled from 0 to 1"));

            // idle again: back to zero
            eventually().atMost(Duration.ofSeconds(90)).until(() -> deploymentReplicas(ns, "sleepy-worker") == 0);
            assertThat(ns.events("sleepy-worker")).anyMatch(e -> e.contains("AutoscaleAgent: scaled from 1 to 0"));
        }
    }
}
