package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.telemetry.Promlint;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shared cluster's fence around the queue, as someone in another namespace meets it on the real control plane:
 * the chart's Redis turns away who brings no credentials, an agent's credentials open its own role's keys only, a
 * result forged into another namespace's run changes nothing, and every pod of the default install is admitted under
 * the restricted Pod Security Standard.
 */
class QueueSecurityIT {
    private final ArkCluster cluster = ArkCluster.get();

    /** A team of one role that takes no task: its run waits, Running, for as long as the test needs. */
    private static final String WAITING_TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: payroll}
            spec:
              roles: [{name: clerk, model: m, provider: mock, replicas: 0}]
              pipeline: [{role: clerk, inputs: {prompt: "pay everyone"}}]
            """;

    @Test
    void theDefaultInstallAndItsAgentsAreAdmittedUnderTheRestrictedPodSecurityStandard() {
        ArkRelease ark = cluster.ark();
        assertThat(cluster.admin.namespaces().withName(ArkRelease.NAMESPACE).get().getMetadata().getLabels())
                .containsEntry(ArkRelease.RESTRICTED, "restricted");
        ark.awaitOperator();
        eventually().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(cluster.pods(ArkRelease.NAMESPACE,
                "app.kubernetes.io/component", "redis")).anySatisfy(p -> assertThat(TestNamespace.ready(p)).isTrue()));
        // the API server does enforce it there: a pod that does not meet the standard is refused
        assertThatThrownBy(() -> cluster.admin.pods().inNamespace(ArkRelease.NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName("not-restricted").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(ArkCluster.ARK_IMAGE).endContainer().endSpec()
                .build()).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity \"restricted:latest\"");

        try (TestNamespace ns = TestNamespace.create(cluster, "restricted")) {
            ArkRelease.restricted(cluster, ns.name);
            ns.apply(ClusterTeams.LINEAR).assertSuccess();
            ns.awaitReadyPods("writers-researcher", 1);
            ns.awaitReadyPods("writers-writer", 1);
            ns.startRun("admitted", "writers", "{topic: standards}");
            ns.awaitPhase("admitted", RunPhase.Succeeded, Duration.ofSeconds(120));
        }
    }

    @Test
    void aClientInAnotherNamespaceWithoutCredentialsIsTurnedAway() {
        ArkRelease ark = cluster.ark();
        try (TestNamespace outsider = TestNamespace.create(cluster, "outsider");
             TestNamespace victim = TestNamespace.create(cluster, "victim")) {
            victim.apply(WAITING_TEAM).assertSuccess();
            // an agent of its own, pointed at another namespace's queue, with the chart's URL and nothing else
            cluster.admin.pods().inNamespace(outsider.name).resource(new PodBuilder()
                    .withNewMetadata().withName("snoop").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("agent")
                        .withImage(ArkCluster.ARK_IMAGE).withArgs("agent")
                        .addNewEnv().withName("TASK_QUEUE_URL").withValue("redis://ark-redis.ark-system.svc:6379").endEnv()
                        .addNewEnv().withName("AGENT_QUEUE").withValue(victim.name + ".payroll.clerk").endEnv()
                        .addNewEnv().withName("POD_NAME").withValue("snoop").endEnv()
                        .addNewEnv().withName("AGENT_MODEL").withValue("m").endEnv()
                        .addNewEnv().withName("AGENT_PROVIDER").withValue("mock").endEnv()
                    .endContainer().endSpec().build()).create();
            eventually().atMost(Duration.ofSeconds(90)).until(() -> "Failed".equals(cluster.admin.pods()
                    .inNamespace(outsider.name).withName("snoop").get().getStatus().getPhase()));
            Command.Result logs = outsider.kubectl("logs", "snoop").assertSuccess();
            assertThat(logs.stdout()).contains("NOAUTH");

            // and so does the same Redis for anyone else who reaches it
            RedisClient anonymous = RedisClient.create(RedisURI.create(ark.redisAddress()));
            try {
                assertThatThrownBy(anonymous::connect).hasStackTraceContaining("NOAUTH");
            } finally {
                anonymous.shutdown();
            }
        }
    }

    @Test
    void anAgentsCredentialsOpenItsOwnRolesKeysAndNoOthers() {
        ArkRelease ark = cluster.ark();
        try (TestNamespace ns = TestNamespace.create(cluster, "fenced");
             TestNamespace other = TestNamespace.create(cluster, "neighbour")) {
            ns.apply(ClusterTeams.LINEAR).assertSuccess();
            other.apply(WAITING_TEAM).assertSuccess();
            Secret secret = eventually().until(() -> cluster.admin.secrets().inNamespace(ns.name)
                    .withName("writers-researcher-queue-credentials").get(), s -> s != null);
            assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getName()).isEqualTo("writers-researcher"));
            String user = decode(secret, "username");
            String password = decode(secret, "password");
            assertThat(user).isEqualTo("ark-agent." + ns.name + ".writers-researcher");
            Deployment deployment = cluster.admin.apps().deployments().inNamespace(ns.name).withName("writers-researcher").get();
            assertThat(Serialization.asJson(deployment)).as("the password is only referenced").doesNotContain(password);

            String own = ns.name + ".writers.researcher";
            String sibling = ns.name + ".writers.writer";
            String neighbour = other.name + ".payroll.clerk";
            eventually().untilAsserted(() -> assertThat(QueueSecurityIT.<String>asUser(ark, user, password,
                    RedisCommands::ping)).isEqualTo("PONG"));
            asUser(ark, user, password, r -> {
                r.xadd(own + ".scratch", Map.of("k", "v"));
                r.del(own + ".scratch");
                for (String stream : List.of(sibling, neighbour)) {
                    for (Consumer<RedisCommands<String, String>> attempt : List.<Consumer<RedisCommands<String, String>>>of(
                            c -> c.xrange(stream, Range.create("-", "+")),
                            c -> c.xadd(stream, Map.of("task", "forged", "prompt", "x", "replyTo", own + ".results")),
                            c -> c.xadd(stream + ".results", Map.of("task", "forged")),
                            c -> c.del(stream))) {
                        assertThatThrownBy(() -> attempt.accept(r)).as(stream)
                                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
                    }
                }
                return true;
            });
        }
    }

    @Test
    void aResultForgedIntoAnotherNamespacesRunChangesNothing() throws Exception {
        ArkRelease ark = cluster.ark();
        try (TestNamespace attacker = TestNamespace.create(cluster, "attacker");
             TestNamespace victim = TestNamespace.create(cluster, "payroll")) {
            victim.apply(WAITING_TEAM).assertSuccess();
            victim.startRun("target", "payroll", "{}");
            eventually().until(() -> victim.run("target").getStatus() != null
                    && victim.run("target").getStatus().phase() == RunPhase.Running);

            // the attacker runs a team of their own (so the operator reads its result stream) and holds its credentials
            attacker.apply(ClusterTeams.LINEAR).assertSuccess();
            attacker.startRun("own", "writers", "{topic: anything}");
            attacker.awaitPhase("own", RunPhase.Succeeded, Duration.ofSeconds(120));
            Secret secret = cluster.admin.secrets().inNamespace(attacker.name).withName("writers-writer-queue-credentials").get();
            String results = attacker.name + ".writers.writer.results";
            Map<String, String> forged = TaskResult.succeeded("target/clerk/1", "FORGED: pay the attacker", 0, 0,
                    "writers-writer-x", 1, Map.of("run", "target", "namespace", victim.name, "step", "clerk",
                            "attempt", "1", "team", "payroll")).toFields();
            String id = asUser(ark, decode(secret, "username"), decode(secret, "password"), r -> r.xadd(results, forged));

            // the operator read it and let it go
            try (QueueProbe queue = new QueueProbe(ark.redisUrl())) {
                eventually().untilAsserted(() -> assertThat(queue.redis().xinfoGroups(results).stream()
                        .map(QueueSecurityIT::pairs).filter(g -> "ark-operator".equals(g.get("name"))).findFirst()
                        .orElseThrow()).containsEntry("pending", 0L).containsEntry("last-delivered-id", id));
            }
            RunStatus status = victim.run("target").getStatus();
            assertThat(status.phase()).isEqualTo(RunPhase.Running);
            assertThat(status.steps()).singleElement().satisfies(step -> {
                assertThat(step.phase()).isEqualTo(StepPhase.Running);
                assertThat(step.output()).isNull();
            });
            Promlint.Reading metrics = Promlint.read(ark.operatorMetrics());
            assertThat(metrics.problems()).isEmpty();
            assertThat(metrics.value("ark_results_rejected_total{namespace=\"" + attacker.name + "\",reason=\"namespace\"}"))
                    .isEqualTo(1);
        }
    }

    /** Runs {@code use} on the chart's Redis as this ACL user. */
    static <T> T asUser(ArkRelease ark, String user, String password, java.util.function.Function<RedisCommands<String, String>, T> use) {
        RedisURI uri = RedisURI.create(ark.redisAddress());
        uri.setUsername(user);
        uri.setPassword(password.toCharArray());
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return use.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> pairs(Object info) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (info instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return map;
    }
}
