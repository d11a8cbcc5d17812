package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cluster.kubelet.PodView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The operator's run loop on the real API server, the operator a black box installed by Helm and running with
 * its ServiceAccount's token: agent pods come from the real Deployment and ReplicaSet controllers and the
 * scheduler, ownership is proven by the real garbage collector, and users' tools (kubectl, ark) drive it.
 */
@Order(10)
class RunScenariosIT {
    private static ArkCluster cluster;
    private static ArkRelease ark;

    @BeforeAll
    static void install() {
        cluster = ArkCluster.get();
        ark = cluster.ark();
    }

    private static Map<String, StepStatus> steps(RunStatus status) {
        return status.steps().stream().collect(Collectors.toMap(StepStatus::name, s -> s));
    }

    @Test
    void aLinearTeamRunsThroughPodsOfTheRealControllersAndItsObjectsAreCollectedWithIt() {
        try (TestNamespace ns = TestNamespace.create(cluster, "linear"); QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            ns.apply(ClusterTeams.LINEAR).assertSuccess();
            ns.startRun("r1", "writers", "{topic: redis}");
            RunStatus status = ns.awaitPhase("r1", RunPhase.Succeeded);

            assertThat(ns.run("r1").getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "writers");
            assertThat(steps(status).get("researcher").output()).isEqualTo("mock answer to: Research redis");
            assertThat(status.output()).isEqualTo("final: " + steps(status).get("writer").output());
            assertThat(status.stepsDone()).isEqualTo("2/2");
            long stepTokens = status.steps().stream().mapToLong(s -> s.tokenUsage().totalTokens()).sum();
            assertThat(status.totalTokenUsage().totalTokens()).isEqualTo(stepTokens).isPositive();
            // the wait each agent reported is kept by the API server (its schema prunes unknown fields) and shown
            assertThat(status.steps()).allSatisfy(s -> assertThat(s.queueWaitMs()).isNotNull().isNotNegative());
            Command.Result timeline = cluster.ark("status", "r1", "-n", ns.name, "--timeline").assertSuccess();
            assertThat(timeline.stdout()).containsPattern("(?m)^researcher\\s+0ms \\|[░▒█ ]+\\|\\s+\\S+\\s+\\d+\\s+\\S+\\s+0\\s+\\d[\\d.]*m?s$");
            eventually().untilAsserted(() -> assertThat(ns.story("r1")).contains("run of team writers started",
                    "step researcher started (role", "step researcher succeeded (", "run succeeded"));
            assertThat(ns.eventReasons("r1")).contains("RunSucceeded");
            String key = ns.name + ".writers.researcher";
            assertThat(queue.redis().xlen(key + ".results")).isEqualTo(1);
            assertThat(queue.redis().xinfoGroups(key).toString()).contains("ark-agents");

            // the pods came from Deployment -> ReplicaSet -> Pod, bound by the scheduler to the harness node
            List<Pod> pods = ns.awaitReadyPods("writers-researcher", 1);
            Pod pod = pods.get(0);
            assertThat(pod.getSpec().getNodeName()).isEqualTo(ArkCluster.NODE);
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("ReplicaSet"));
            assertThat(pod.getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "writers")
                    .containsEntry(Ark.LABEL_ROLE, "researcher").containsEntry(Ark.LABEL_AGENT, "writers-researcher")
                    .containsEntry(Ark.LABEL_MANAGED_BY, "ark");
            PodView process = cluster.running(ns.name, pod.getMetadata().getName());
            assertThat(process.only().env()).containsEntry("AGENT_QUEUE", key)
                    .containsEntry("POD_NAME", pod.getMetadata().getName())
                    .containsEntry("TASK_QUEUE_URL", "redis://ark-redis.ark-system.svc:6379")
                    .containsEntry("OPENAI_API_KEY", "sk-harness-test-key");
            assertThat(queue.redis().xinfoConsumers(key, "ark-agents").toString()).contains(pod.getMetadata().getName());

            // deleting the team takes its agents, their Deployments, ReplicaSets and pods with it (real GC)
            ns.kubectl("delete", "arkteam", "writers").assertSuccess();
            eventually().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(cluster.admin.resources(ArkAgent.class).inNamespace(ns.name).list().getItems()).isEmpty();
                assertThat(cluster.admin.apps().deployments().inNamespace(ns.name).list().getItems()).isEmpty();
                assertThat(cluster.admin.apps().replicaSets().inNamespace(ns.name).list().getItems()).isEmpty();
                assertThat(cluster.admin.pods().inNamespace(ns.name).list().getItems()).isEmpty();
            });
            assertThat(cluster.kubelet.pod(ns.name, pod.getMetadata().getName())).as("its process is stopped").isEmpty();
        }
    }

    @Test
    void aDiamondRunsItsBranchesAndJoins() {
        try (TestNamespace ns = TestNamespace.create(cluster, "diamond")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: diamond}
                    spec:
                      roles: [{name: a, model: m, provider: mock}]
                      pipeline:
                        - {name: plan, role: a, inputs: {prompt: plan}}
                        - {name: left, role: a, dependsOn: [plan], inputs: {prompt: "left of {{ .steps.plan.output }}"}}
                        - {name: right, role: a, dependsOn: [plan], inputs: {prompt: "right of {{ .steps.plan.output }}"}}
                        - name: join
                          role: a
                          dependsOn: [left, right]
                          inputs: {prompt: "{{ .steps.left.output }} + {{ .steps.right.output }}"}
                    """).assertSuccess();
            ns.startRun("d1", "diamond", "{}");
            RunStatus status = ns.awaitPhase("d1", RunPhase.Succeeded);
            assertThat(steps(status).get("left").output()).isEqualTo("mock answer to: left of mock answer to: plan");
            assertThat(steps(status).get("right").output()).isEqualTo("mock answer to: right of mock answer to: plan");
            assertThat(steps(status).get("join").output()).startsWith("mock answer to: mock answer to: left of");
            assertThat(status.output()).isEqualTo(steps(status).get("join").output());
        }
    }

    @Test
    void aStepWithNoAgentTimesOutFailsTheRunAndArkRetryResumesItOnceKubectlScaleBringsOne() {
        try (TestNamespace ns = TestNamespace.create(cluster, "retry")) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: flaky}
                    spec:
                      roles:
                        - {name: steady, model: m, provider: mock}
                        - {name: absent, model: m, provider: mock, replicas: 0}
                      pipeline:
                        - {name: fine, role: steady, inputs: {prompt: fine}}
                        - {name: stuck, role: absent, timeoutSeconds: 3, inputs: {prompt: stuck}}
                        - {name: after, role: steady, dependsOn: [stuck], inputs: {prompt: "{{ .steps.stuck.output }}"}}
                    """).assertSuccess();
            ns.startRun("f1", "flaky", "{}");
            RunStatus failed = ns.awaitPhase("f1", RunPhase.Failed);
            assertThat(steps(failed).get("fine").phase()).isEqualTo(StepPhase.Succeeded);
            assertThat(steps(failed).get("stuck").message()).isEqualTo("timed out after 3s");
            assertThat(steps(failed).get("after").phase()).isEqualTo(StepPhase.Skipped);
            assertThat(steps(failed).get("after").message()).isEqualTo("skipped: depends on failed step stuck");
            assertThat(failed.failedStep()).isEqualTo("stuck");

            // the scale subresource of the real API server
            Command.Result scale = ns.kubectl("scale", "arkagent", "flaky-absent", "--replicas=1").assertSuccess();
            assertThat(scale.stdout()).contains("arkagent.arkonis.dev/flaky-absent scaled");
            ns.awaitReadyPods("flaky-absent", 1);
            eventually().until(() -> ns.agent("flaky-absent").getStatus().readyReplicas() == 1);
            assertThat(ns.agent("flaky-absent").getSpec().replicas()).as("the scale holds").isEqualTo(1);

            Command.Result retry = cluster.ark("retry", "flaky", "-n", ns.name).assertSuccess();
            assertThat(retry.stdout()).contains("retrying run f1");
            RunStatus retried = ns.awaitPhase("f1", RunPhase.Succeeded);
            assertThat(steps(retried).get("stuck").attempts()).isEqualTo(2);
            assertThat(steps(retried).get("stuck").taskID()).isEqualTo("f1/stuck/2");
            assertThat(steps(retried).get("fine").attempts()).as("succeeded steps are kept").isEqualTo(1);
            assertThat(ns.eventReasons("f1")).contains("RunFailed", "RetryRequested");
            assertThat(ns.story("f1")).contains("step stuck failed");
        }
    }

    @Test
    void aRunTimesOutAndADeletedRunWithdrawsItsQueuedTask() {
        try (TestNamespace ns = TestNamespace.create(cluster, "timeouts"); QueueProbe queue = new QueueProbe(ark.redisUrl())) {
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: slow}
                    spec:
                      roles: [{name: nobody-home, model: m, provider: mock, replicas: 0}]
                      pipeline: [{role: nobody-home, inputs: {prompt: hello}}]
                    """).assertSuccess();
            String key = ns.name + ".slow.nobody-home";
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: t1}
                    spec: {teamRef: {name: slow}, timeoutSeconds: 2}
                    """).assertSuccess();
            RunStatus timedOut = ns.awaitPhase("t1", RunPhase.TimedOut);
            assertThat(timedOut.message()).isEqualTo("run timed out after 2s");
            assertThat(steps(timedOut).get("nobody-home").message()).isEqualTo("abandoned: the run timed out");
            eventually().until(() -> queue.redis().xlen(key) == 0);

            ns.startRun("x1", "slow", "{}");
            eventually().until(() -> queue.redis().xlen(key) == 1);
            ns.kubectl("delete", "arkrun", "x1").assertSuccess();
            eventually().until(() -> ns.run("x1") == null);
            assertThat(queue.redis().xlen(key)).as("the deleted run's task is withdrawn").isZero();
        }
    }

    @Test
    void aRunKeepsTheTeamItStartedWithWhileLaterRunsUseTheEditedTeam() {
        try (TestNamespace ns = TestNamespace.create(cluster, "edits")) {
            String waiting = ClusterTeams.LINEAR.replace("provider: mock}", "provider: mock, replicas: 0}");
            ns.apply(waiting).assertSuccess();
            ns.startRun("e1", "writers", "{topic: cats}");
            eventually().until(() -> ns.run("e1").getStatus().phase() == RunPhase.Running);
            // kubectl apply of an edited team while e1 waits for its agents
            ns.apply(ClusterTeams.LINEAR.replace("Write from {{ .steps.researcher.output }}", "Something else entirely"))
                    .assertSuccess();
            RunStatus first = ns.awaitPhase("e1", RunPhase.Succeeded, Duration.ofSeconds(120));
            assertThat(steps(first).get("writer").output()).isEqualTo("mock answer to: Write from mock answer to: Research cats");
            ns.startRun("e2", "writers", "{topic: cats}");
            assertThat(steps(ns.awaitPhase("e2", RunPhase.Succeeded)).get("writer").output())
                    .isEqualTo("mock answer to: Something else entirely");
        }
    }

    @Test
    void promptsAndKeysReachTheAgentProcessByReferenceAndAChangedPromptRollsThePods() {
        try (TestNamespace ns = TestNamespace.create(cluster, "refs")) {
            ns.kubectl("create", "configmap", "prompts", "--from-literal=system=You are terse.").assertSuccess();
            ns.apply("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: quiet}
                    spec:
                      roles:
                        - name: r
                          model: m
                          provider: mock
                          systemPromptRef: {configMapKeyRef: {name: prompts, key: system}}
                      pipeline: [{role: r, inputs: {prompt: hello}}]
                    """).assertSuccess();
            Pod first = ns.awaitReadyPods("quiet-r", 1).get(0);
            Deployment deployment = cluster.admin.apps().deployments().inNamespace(ns.name).withName("quiet-r").get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .filteredOn(e -> e.getName().equals("AGENT_SYSTEM_PROMPT")).singleElement()
                    .satisfies(e -> assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("prompts"));
            assertThat(cluster.running(ns.name, first.getMetadata().getName()).only().env())
                    .containsEntry("AGENT_SYSTEM_PROMPT", "You are terse.")
                    .containsEntry("OPENAI_API_KEY", "sk-harness-test-key");
            assertThat(cluster.admin.secrets().inNamespace(ns.name).withName("ark-operator.api-keys").get().getData())
                    .containsKey("OPENAI_API_KEY");
            // a key added to the operator's Secret reaches the copy next to the agents
            cluster.kube.kubectl("patch", "secret", ArkRelease.API_KEYS_SECRET, "-n", ArkRelease.NAMESPACE,
                    "--type=merge", "-p", "{\"stringData\":{\"ANTHROPIC_API_KEY\":\"sk-ant-harness\"}}").assertSuccess();
            eventually().until(() -> cluster.admin.secrets().inNamespace(ns.name).withName("ark-operator.api-keys").get()
                    .getData().containsKey("ANTHROPIC_API_KEY"));

            cluster.admin.configMaps().inNamespace(ns.name).withName("prompts")
                    .edit(cm -> {
                        cm.getData().put("system", "You are verbose.");
                        return cm;
                    });
            // the added key rolls the pods too: wait for the pod that carries the new prompt
            eventually().atMost(Duration.ofSeconds(90)).until(() -> ns.awaitReadyPods("quiet-r", 1).get(0),
                    p -> !p.getMetadata().getName().equals(first.getMetadata().getName()) && "You are verbose."
                            .equals(cluster.running(ns.name, p.getMetadata().getName()).only().env().get("AGENT_SYSTEM_PROMPT")));
            ns.startRun("p1", "quiet", "{}");
            ns.awaitPhase("p1", RunPhase.Succeeded);
        }
    }

    @Test
    void agentsCreatedAtOnceShareOneApiKeyCopyAndNoReconcileFails() {
        try (TestNamespace ns = TestNamespace.create(cluster, "at-once")) {
            List<String> roles = java.util.stream.IntStream.range(0, 6).mapToObj(i -> "r" + i).toList();
            StringBuilder team = new StringBuilder("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: wide}
                    spec:
                      roles:
                    """);
            roles.forEach(r -> team.append("    - {name: ").append(r).append(", model: m, provider: mock, replicas: 0}\n"));
            team.append("  pipeline: [{role: r0, inputs: {prompt: hi}}]\n");
            ns.apply(team.toString()).assertSuccess();
            // every agent's reconcile found the copy missing in its cache; the API server took one create
            eventually().untilAsserted(() -> assertThat(cluster.admin.secrets().inNamespace(ns.name)
                    .withName("ark-operator.api-keys").get().getMetadata().getOwnerReferences())
                    .extracting(o -> o.getName()).containsExactlyInAnyOrderElementsOf(
                            roles.stream().map(r -> "wide-" + r).toList()));
            eventually().until(() -> roles.stream().allMatch(r -> cluster.admin.apps().deployments()
                    .inNamespace(ns.name).withName("wide-" + r).get() != null));
            assertThat(cluster.admin.v1().events().inNamespace(ns.name).list().getItems())
                    .extracting(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage())
                    .noneMatch(e -> e.contains(" ReconcileError: "));
        }
    }

    @Test
    void aRemovedRoleLosesItsAgentAndFinishedRunsBeyondTheHistoryLimitAreDeleted() {
        try (TestNamespace ns = TestNamespace.create(cluster, "cleanup")) {
            String team = """
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: brief}
                    spec:
                      successfulRunsHistoryLimit: 1
                      roles:
                        - {name: a, model: m, provider: mock}
                        - {name: spare, model: m, provider: mock, replicas: 0}
                      pipeline: [{role: a, inputs: {prompt: hi}}]
                    """;
            ns.apply(team).assertSuccess();
            eventually().until(() -> ns.agent("brief-spare") != null);
            ns.startRun("h1", "brief", "{}");
            ns.awaitPhase("h1", RunPhase.Succeeded);
            ns.startRun("h2", "brief", "{}");
            ns.awaitPhase("h2", RunPhase.Succeeded);
            eventually().until(() -> ns.run("h1") == null);
            assertThat(cluster.admin.resources(ArkRun.class).inNamespace(ns.name).list().getItems())
                    .extracting(r -> r.getMetadata().getName()).containsExactly("h2");

            ns.apply(team.replace("    - {name: spare, model: m, provider: mock, replicas: 0}\n", "")).assertSuccess();
            eventually().until(() -> ns.agent("brief-spare") == null);
            eventually().until(() -> cluster.admin.apps().deployments().inNamespace(ns.name).withName("brief-spare").get() == null);
            assertThat(ns.agent("brief-a")).isNotNull();
        }
    }
}
