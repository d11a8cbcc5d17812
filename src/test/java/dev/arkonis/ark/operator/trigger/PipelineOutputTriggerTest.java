package dev.arkonis.ark.operator.trigger;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static dev.arkonis.ark.operator.trigger.TriggerCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.operator.run.PodAgents;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two teams chained by a pipeline-output ArkEvent, through real runs: mock API server, real Redis, agent pods. */
class PipelineOutputTriggerTest {
    private RedisFixture redis;
    private final List<RedisConnections> connections = new java.util.ArrayList<>();
    private TriggerCluster cluster;
    private PodAgents agents;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        // each operator process has its own Redis connections and consumer name, as after a real restart
        cluster = new TriggerCluster(TriggerCluster.webhooks(1024, 60, "TASK_QUEUE_URL", redis.url()), Clock.systemUTC(),
                () -> {
                    try {
                        RedisConnections redisConnections = RedisConnections.open(redis.url());
                        connections.add(redisConnections);
                        return redisConnections;
                    } catch (dev.arkonis.ark.queue.RedisUnavailableException e) {
                        throw new IllegalStateException(e);
                    }
                });
        agents = new PodAgents(cluster.client);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: research-team, namespace: team-ns}
                spec:
                  inputs: [{name: topic, required: true}]
                  roles: [{name: researcher, model: m, provider: mock}]
                  pipeline: [{role: researcher, inputs: {prompt: "Research {{ .input.topic }}"}}]
                """, ArkTeam.class);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: summarize-team, namespace: team-ns}
                spec:
                  inputs: [{name: findings, required: true}, {name: source}]
                  roles: [{name: summarizer, model: m, provider: mock}]
                  pipeline: [{role: summarizer, inputs: {prompt: "Summarize {{ .input.findings }}"}}]
                """, ArkTeam.class);
        agents.start(NS, "research-team-researcher");
        agents.start(NS, "summarize-team-summarizer");
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        connections.forEach(RedisConnections::close);
        redis.close();
    }

    private void research(String name, String topic) {
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: %s, namespace: team-ns}
                spec: {teamRef: {name: research-team}, input: {topic: "%s"}}
                """.formatted(name, topic), ArkRun.class);
    }

    private ArkRun run(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private List<ArkRun> summaries() {
        return cluster.runs().stream().filter(r -> "summarize-team".equals(r.getMetadata().getLabels().get(Ark.LABEL_TEAM)))
                .toList();
    }

    @Test
    void aSucceededRunOfOneTeamStartsTheNextWithItsOutput() {
        research("before", "history");
        eventually().until(() -> run("before").getStatus() != null && run("before").getStatus().phase() == RunPhase.Succeeded);
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: post-research, namespace: team-ns}
                spec:
                  source:
                    type: pipeline-output
                    pipelineOutput: {name: research-team, onPhase: Succeeded}
                  targets:
                    - team: summarize-team
                      input: {findings: "{{ .trigger.output }}", source: "{{ .trigger.run }}"}
                  concurrencyPolicy: Forbid
                """, ArkEvent.class);
        eventually().untilAsserted(() -> assertThat(cluster.status("post-research").conditions()).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Watching")));
        assertThat(summaries()).as("runs that ended before the event existed do not fire it").isEmpty();

        research("r1", "redis streams");
        eventually().untilAsserted(() -> assertThat(cluster.status("post-research").fired()).isEqualTo(1));
        ArkRun summary = summaries().get(0);
        assertThat(summary.getSpec().input().path("findings").asText()).isEqualTo("mock answer to: Research redis streams");
        assertThat(summary.getSpec().input().path("source").asText()).isEqualTo("r1");
        assertThat(summary.getMetadata().getLabels()).containsEntry(Ark.LABEL_TRIGGER, "post-research");
        eventually().until(() -> run(summary.getMetadata().getName()).getStatus() != null
                && run(summary.getMetadata().getName()).getStatus().phase() == RunPhase.Succeeded);
        assertThat(run(summary.getMetadata().getName()).getStatus().output())
                .isEqualTo("mock answer to: Summarize mock answer to: Research redis streams");

        // a failed run of the watched team does not fire an onPhase: Succeeded event
        research("r2", "[mock:fail]");
        eventually().until(() -> run("r2").getStatus() != null && run("r2").getStatus().phase() == RunPhase.Failed);
        research("r3", "queues");
        eventually().untilAsserted(() -> assertThat(cluster.status("post-research").fired()).isEqualTo(2));
        assertThat(summaries()).hasSize(2);
        assertThat(summaries()).extracting(r -> r.getSpec().input().path("source").asText()).containsExactlyInAnyOrder("r1", "r3");
        assertThat(cluster.status("post-research").lastSourceCompletionTime()).isEqualTo(run("r3").getStatus().completionTime());

        // a restarted operator sees every finished run again and fires for none of them; only for one that ends later
        // (its status written by hand: the run side's own restart is RunLoopTest's business)
        cluster.restartOperator(false);
        eventually().untilAsserted(() -> assertThat(cluster.eventReasons("post-research")).contains("Fired"));
        ArkRun later = cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: r4, namespace: team-ns, labels: {arkonis.dev/team: research-team}}
                spec: {teamRef: {name: research-team}, input: {topic: logs}}
                """, ArkRun.class);
        later.setStatus(RunStatus.builder().phase(RunPhase.Succeeded).completionTime(java.time.Instant.now().toString())
                .steps(List.of()).stepsDone("1/1").output("logs found").totalTokenUsage(TokenUsage.ZERO).build());
        cluster.client.resource(later).updateStatus();
        eventually().untilAsserted(() -> assertThat(cluster.status("post-research").fired()).isEqualTo(3));
        assertThat(summaries()).hasSize(3);
    }
}
