package dev.arkonis.ark.operator;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamStatus.TeamPhase;
import dev.arkonis.ark.api.RoleStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TeamReconcilerTest {
    private static MockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new MockCluster(MockCluster.env());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String team(String namespace, String name, String rolesYaml, String pipelineYaml) {
        return """
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  roles:
                %s
                  pipeline:
                %s
                """.formatted(name, namespace, rolesYaml.indent(4).stripTrailing(), pipelineYaml.indent(4).stripTrailing());
    }

    private static final String TWO_ROLES = """
            - name: researcher
              model: gpt-4o-mini
              systemPrompt: You research.
            - name: writer
              model: claude-sonnet-4-20250514
              systemPrompt: You write.
            """;
    private static final String TWO_STEPS = """
            - role: researcher
              inputs: {prompt: "Research"}
            - role: writer
              dependsOn: [researcher]
              inputs: {prompt: "Write about {{ .steps.researcher.output }}"}
            """;

    private static ArkTeam getTeam(String ns, String name) {
        return cluster.client.resources(ArkTeam.class).inNamespace(ns).withName(name).get();
    }

    private static ArkAgent getAgent(String ns, String name) {
        return cluster.client.resources(ArkAgent.class).inNamespace(ns).withName(name).get();
    }

    private static Condition condition(ArkTeam team, String type) {
        return team.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void anAgentNoTeamOwnsMayNotShareItsNameWithATeamWhoseRolesQueuesItsKeysWouldHold() {
        cluster.create(team("clash", "desk", "- {name: triage, model: m}", "- {role: triage}"), ArkTeam.class);
        eventually().until(() -> cluster.client.resources(ArkAgent.class).inNamespace("clash").withName("desk-triage")
                .get() != null);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: desk, namespace: clash}
                spec: {model: m}
                """, ArkAgent.class);
        eventually().untilAsserted(() -> {
            ArkAgent agent = cluster.client.resources(ArkAgent.class).inNamespace("clash").withName("desk").get();
            assertThat(agent.getStatus().conditions()).filteredOn(c -> c.getType().equals("Valid")).singleElement()
                    .satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getMessage()).contains("team desk of this namespace has this name")
                                .contains("clash.desk");
                    });
        });
        assertThat(cluster.client.apps().deployments().inNamespace("clash").withName("desk").get())
                .as("a refused agent runs no pods").isNull();

        // the other way round: a team named like an agent that stands alone is invalid, and makes no agents
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: helper, namespace: clash}
                spec: {model: m}
                """, ArkAgent.class);
        eventually().until(() -> cluster.client.apps().deployments().inNamespace("clash").withName("helper").get() != null);
        cluster.create(team("clash", "helper", "- {name: triage, model: m}", "- {role: triage}"), ArkTeam.class);
        eventually().untilAsserted(() -> {
            ArkTeam team = cluster.client.resources(ArkTeam.class).inNamespace("clash").withName("helper").get();
            assertThat(team.getStatus().phase()).isEqualTo(TeamPhase.Invalid);
            assertThat(condition(team, "Valid").getMessage()).contains("ArkAgent helper of this namespace");
        });
        assertThat(cluster.client.resources(ArkAgent.class).inNamespace("clash").withName("helper-triage").get()).isNull();
    }

    @Test
    void rolesBecomeOwnedAgentsAndTeamStatusFollowsTheirPods() {
        ArkTeam team = cluster.create(team("team-a", "blog", TWO_ROLES, TWO_STEPS), ArkTeam.class);

        eventually().untilAsserted(() -> {
            ArkAgent researcher = getAgent("team-a", "blog-researcher");
            assertThat(researcher.getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "blog")
                    .containsEntry(Ark.LABEL_ROLE, "researcher").containsEntry(Ark.LABEL_MANAGED_BY, "ark");
            assertThat(researcher.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getKind()).isEqualTo("ArkTeam");
                assertThat(o.getName()).isEqualTo("blog");
                assertThat(o.getUid()).isEqualTo(team.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
            });
            assertThat(researcher.getSpec()).isEqualTo(team.getSpec().roleList().get(0).agentSpec());
            assertThat(getAgent("team-a", "blog-writer").getSpec().model()).isEqualTo("claude-sonnet-4-20250514");
        });
        eventually().untilAsserted(() -> {
            ArkTeam current = getTeam("team-a", "blog");
            assertThat(current.getStatus().phase()).isEqualTo(TeamPhase.Pending);
            assertThat(current.getStatus().roleCount()).isEqualTo(2);
            assertThat(current.getStatus().observedGeneration()).isEqualTo(current.getMetadata().getGeneration());
            assertThat(current.getStatus().roles()).containsExactly(
                    new RoleStatus("researcher", "blog-researcher", "team-a.blog.researcher", 0),
                    new RoleStatus("writer", "blog-writer", "team-a.blog.writer", 0));
            assertThat(condition(current, "Valid").getStatus()).isEqualTo("True");
            assertThat(condition(current, "Ready").getStatus()).isEqualTo("False");
        });

        // the agents' Deployments carry the team's queue key and labels
        eventually().untilAsserted(() -> {
            Deployment d = cluster.client.apps().deployments().inNamespace("team-a").withName("blog-researcher").get();
            Map<String, String> env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertThat(env).containsEntry("AGENT_QUEUE", "team-a.blog.researcher")
                    .containsEntry("AGENT_TEAM_NAME", "blog").containsEntry("AGENT_TEAM_ROLE", "researcher")
                    .containsEntry("AGENT_PROVIDER", "openai");
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Ark.LABEL_TEAM, "blog")
                    .containsEntry(Ark.LABEL_ROLE, "researcher").containsEntry(Ark.LABEL_AGENT, "blog-researcher");
            assertThat(cluster.client.apps().deployments().inNamespace("team-a").withName("blog-writer").get()).isNotNull();
        });

        cluster.setReady("team-a", "blog-researcher", 1);
        cluster.setReady("team-a", "blog-writer", 2);
        eventually().untilAsserted(() -> {
            ArkTeam current = getTeam("team-a", "blog");
            assertThat(current.getStatus().phase()).isEqualTo(TeamPhase.Ready);
            assertThat(current.getStatus().roles()).extracting(RoleStatus::readyReplicas).containsExactly(1, 2);
            assertThat(condition(current, "Ready").getStatus()).isEqualTo("True");
        });
        String readySince = condition(getTeam("team-a", "blog"), "Valid").getLastTransitionTime();

        cluster.setReady("team-a", "blog-writer", 0);
        eventually().untilAsserted(() -> {
            ArkTeam current = getTeam("team-a", "blog");
            assertThat(current.getStatus().phase()).isEqualTo(TeamPhase.Degraded);
            assertThat(condition(current, "Ready").getMessage()).contains("writer");
            // Valid did not change, so neither did its transition time
            assertThat(condition(current, "Valid").getLastTransitionTime()).isEqualTo(readySince);
        });
    }

    @Test
    void directPatchOfAnAgentHoldsUntilThatRolesSpecChanges() {
        cluster.create(team("team-b", "news", TWO_ROLES, TWO_STEPS), ArkTeam.class);
        eventually().until(() -> getAgent("team-b", "news-writer") != null && getAgent("team-b", "news-researcher") != null);

        // what docs/troubleshooting.md does to lift a budget: patch the ArkAgent directly
        cluster.client.resources(ArkAgent.class).inNamespace("team-b").withName("news-writer")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"limits\":{\"maxDailyTokens\":500000}}}");

        // another role's change flows to its agent and does not clobber the patch
        editRoles("team-b", "news", TWO_ROLES.replace("model: gpt-4o-mini", "model: gpt-4o"));
        eventually().untilAsserted(() ->
                assertThat(getAgent("team-b", "news-researcher").getSpec().model()).isEqualTo("gpt-4o"));
        assertThat(getAgent("team-b", "news-writer").getSpec().effectiveLimits().maxDailyTokens()).isEqualTo(500000L);

        // the team changes that role: the team's spec wins again
        editRoles("team-b", "news", TWO_ROLES.replace("model: gpt-4o-mini", "model: gpt-4o")
                .replace("You write.", "You write tersely."));
        eventually().untilAsserted(() -> {
            ArkAgent writer = getAgent("team-b", "news-writer");
            assertThat(writer.getSpec().systemPrompt()).isEqualTo("You write tersely.");
            assertThat(writer.getSpec().limits()).isNull();
        });
    }

    @Test
    void aRemovedRolesAgentIsDeleted() {
        cluster.create(team("team-c", "dup", TWO_ROLES, TWO_STEPS), ArkTeam.class);
        eventually().until(() -> getAgent("team-c", "dup-writer") != null);

        ArkTeam oneRole = cluster.parse(team("team-c", "dup", TWO_ROLES.substring(0, TWO_ROLES.indexOf("- name: writer")),
                "- role: researcher\n  inputs: {prompt: \"Research\"}\n"), ArkTeam.class);
        cluster.edit(ArkTeam.class, "team-c", "dup", t -> {
            t.setSpec(oneRole.getSpec());
            return t;
        });

        eventually().untilAsserted(() -> {
            assertThat(getAgent("team-c", "dup-writer")).isNull();
            assertThat(getTeam("team-c", "dup").getStatus().roles()).extracting(RoleStatus::name).containsExactly("researcher");
        });
        assertThat(getAgent("team-c", "dup-researcher")).isNotNull();
    }

    @Test
    void anInvalidTeamNamesEveryProblemAndGetsNoAgentsUntilFixed() {
        String broken = """
                - {name: a, role: researcher, dependsOn: [b]}
                - {name: b, role: researcher, dependsOn: [a]}
                - {name: c, role: painter}
                """;
        cluster.create(team("team-d", "bad", TWO_ROLES, broken), ArkTeam.class);
        eventually().untilAsserted(() -> {
            ArkTeam team = getTeam("team-d", "bad");
            assertThat(team.getStatus().phase()).isEqualTo(TeamPhase.Invalid);
            Condition valid = condition(team, "Valid");
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getReason()).isEqualTo("ValidationFailed");
            assertThat(valid.getMessage()).contains("spec.pipeline[0].dependsOn: dependency cycle")
                    .contains("spec.pipeline[2].role: unknown role \"painter\"").contains("; ");
        });
        assertThat(cluster.client.resources(ArkAgent.class).inNamespace("team-d").list().getItems()).isEmpty();

        editSpec("team-d", "bad", TWO_ROLES, TWO_STEPS);
        eventually().untilAsserted(() -> {
            ArkTeam team = getTeam("team-d", "bad");
            assertThat(team.getStatus().phase()).isEqualTo(TeamPhase.Pending);
            assertThat(condition(team, "Valid").getStatus()).isEqualTo("True");
            assertThat(cluster.client.resources(ArkAgent.class).inNamespace("team-d").list().getItems()).hasSize(2);
        });
    }

    @Test
    void aRoleThatWouldSendTheOrganisationsKeyElsewhereMakesTheTeamInvalidAndItsOwnKeysFlowToItsAgents() {
        String redirecting = """
                - name: researcher
                  model: gpt-4o-mini
                  env: [{name: OPENAI_BASE_URL, value: "http://collector.example/v1"}]
                - name: writer
                  model: claude-sonnet-4-20250514
                """;
        cluster.create(team("team-k", "keys", redirecting, TWO_STEPS), ArkTeam.class);
        eventually().untilAsserted(() -> {
            Condition valid = condition(getTeam("team-k", "keys"), "Valid");
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getMessage()).contains("spec.roles[0].env[0].name: OPENAI_BASE_URL is a provider setting:"
                    + " without apiKeys.secretRef this role runs with the organisation's API key, which goes only to the"
                    + " organisation's endpoint");
        });
        assertThat(cluster.client.resources(ArkAgent.class).inNamespace("team-k").list().getItems()).isEmpty();

        // the team's own keys: every role that names none takes them, and may point them at its own endpoint
        ArkTeam withKeys = cluster.parse(team("team-k", "keys", redirecting, TWO_STEPS)
                + "  apiKeys: {secretRef: {name: team-keys}}\n", ArkTeam.class);
        cluster.edit(ArkTeam.class, "team-k", "keys", t -> {
            t.setSpec(withKeys.getSpec());
            return t;
        });
        eventually().untilAsserted(() -> {
            assertThat(condition(getTeam("team-k", "keys"), "Valid").getStatus()).isEqualTo("True");
            assertThat(cluster.client.resources(ArkAgent.class).inNamespace("team-k").list().getItems())
                    .extracting(a -> a.getSpec().apiKeys().secretRef().name()).containsExactly("team-keys", "team-keys");
        });
    }

    @Test
    void historyLimitsDeleteTheOldestFinishedRunsButNeverARunningOne() {
        String ns = "team-e";
        cluster.create(team(ns, "hist", TWO_ROLES, TWO_STEPS)
                + "  successfulRunsHistoryLimit: 2\n  failedRunsHistoryLimit: 1\n", ArkTeam.class);

        run(ns, "hist-running", "hist", "Running", null);
        run(ns, "hist-s2", "hist", "Succeeded", "2025-01-01T10:02:00Z");
        run(ns, "hist-s4", "hist", "Succeeded", "2025-01-01T10:04:00Z");
        run(ns, "hist-s1", "hist", "Succeeded", "2025-01-01T10:01:00Z");
        run(ns, "hist-s3", "hist", "Succeeded", "2025-01-01T10:03:00Z");
        run(ns, "hist-failed", "hist", "Failed", "2025-01-01T09:00:00Z");
        run(ns, "hist-timedout", "hist", "TimedOut", "2025-01-01T11:00:00Z");
        run(ns, "hist-cancelled", "hist", "Cancelled", "2025-01-01T10:30:00Z");
        run(ns, "other-s0", "other", "Succeeded", "2024-01-01T00:00:00Z");

        eventually().untilAsserted(() -> assertThat(runNames(ns)).containsExactlyInAnyOrder(
                "hist-running", "hist-s3", "hist-s4", "hist-timedout", "other-s0"));
        eventually().untilAsserted(() -> assertThat(getTeam(ns, "hist").getStatus().lastRunName())
                .isIn("hist-running", "hist-s3", "hist-s4", "hist-timedout"));
    }

    private static void run(String ns, String name, String team, String phase, String completionTime) {
        ArkRun run = cluster.parse("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata:
                  name: %s
                  namespace: %s
                  labels: {arkonis.dev/team: %s}
                spec:
                  teamRef: {name: %s}
                """.formatted(name, ns, team, team), ArkRun.class);
        ArkRun created = cluster.client.resource(run).create();
        created.setStatus(new dev.arkonis.ark.api.RunStatus(dev.arkonis.ark.api.RunPhase.valueOf(phase),
                "2025-01-01T00:00:00Z", completionTime, null, null, null, null, null, null, null, null, null, null, null,
                null, null));
        cluster.client.resource(created).updateStatus();
    }

    private static List<String> runNames(String ns) {
        return cluster.client.resources(ArkRun.class).inNamespace(ns).list().getItems().stream()
                .map(r -> r.getMetadata().getName()).toList();
    }

    private static void editRoles(String ns, String name, String rolesYaml) {
        editSpec(ns, name, rolesYaml, TWO_STEPS);
    }

    private static void editSpec(String ns, String name, String rolesYaml, String pipelineYaml) {
        ArkTeam parsed = cluster.parse(team(ns, name, rolesYaml, pipelineYaml), ArkTeam.class);
        cluster.edit(ArkTeam.class, ns, name, t -> {
            t.setSpec(parsed.getSpec());
            return t;
        });
    }
}
