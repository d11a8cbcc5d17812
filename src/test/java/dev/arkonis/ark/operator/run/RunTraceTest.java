package dev.arkonis.ark.operator.run;

import static dev.arkonis.ark.operator.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.operator.MockCluster;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisFixture;
import dev.arkonis.ark.telemetry.OtlpReceiver;
import dev.arkonis.ark.telemetry.Promlint;
import dev.arkonis.ark.telemetry.OtlpReceiver.Received;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TraceContext;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run through the operator and agent pods (mock API server, real Redis) is one trace in a real OTLP receiver: the
 * operator's run and step-attempt spans, under each attempt the agent's queue wait and task, under the task the model
 * call; the operator's reconciles are spans of their own that link to the run.
 */
class RunTraceTest {
    private static final String NS = "team-ns";
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: writers, namespace: team-ns}
            spec:
              roles:
                - {name: researcher, model: m, provider: mock}
                - {name: writer, model: m, provider: mock}
                - {name: editor, model: m, provider: mock}
              pipeline:
                - {role: researcher, inputs: {prompt: "Research redis"}}
                - {role: writer, dependsOn: [researcher], inputs: {prompt: "Write from {{ .steps.researcher.output }}"}}
                - {role: editor, dependsOn: [writer], inputs: {prompt: "Edit {{ .steps.writer.output }}"}}
              output: "{{ .steps.editor.output }}"
            """;

    private RedisFixture redis;
    private RedisConnections connections;
    private OtlpReceiver otlp;
    private Telemetry operatorTelemetry;
    private MockCluster cluster;
    private PodAgents agents;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        connections = RedisConnections.open(redis.url());
        otlp = new OtlpReceiver();
        Map<String, String> env = MockCluster.env("TASK_QUEUE_URL", redis.url(), "POD_NAME", "operator-0",
                "API_KEYS_SECRET", "llm-keys");
        env.putAll(otlp.env("ark-operator"));
        operatorTelemetry = Telemetry.fromEnv(env, "ark-operator");
        cluster = new MockCluster(env, operator -> operator.withRedis(connections).withTelemetry(operatorTelemetry));
        agents = new PodAgents(cluster.client);
        secret("ark-system", "llm-keys", Map.of("OPENAI_API_KEY", API_KEY, "ANTHROPIC_API_KEY", API_KEY));
    }

    private static final String API_KEY = "sk-ant-5ecr3t-api-k3y-424242";
    private static final String SECRET_PROMPT = "You guard the vault; the code is 8675309-zulu";
    private static final String SECRET_INPUT = "project-nightingale-internal";

    private void secret(String ns, String name, Map<String, String> data) {
        Map<String, String> encoded = new java.util.HashMap<>();
        data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(
                v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        cluster.client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(ns).endMetadata().withData(encoded).build()).createOr(op -> op.update());
    }

    @AfterEach
    void stop() {
        agents.close();
        cluster.close();
        operatorTelemetry.close();
        connections.close();
        redis.close();
        otlp.close();
    }

    @Test
    void aThreeStepRunThroughOperatorAndAgentsIsOneTrace() throws Exception {
        cluster.create(TEAM, ArkTeam.class);
        for (String role : List.of("researcher", "writer", "editor")) {
            agents.start(NS, "writers-" + role);
        }
        ArkRun run = cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: t1, namespace: team-ns}
                spec: {teamRef: {name: writers}}
                """, ArkRun.class);
        eventually().until(() -> phase("t1") == RunPhase.Succeeded);
        RunStatus status = get("t1").getStatus();
        String uid = get(run).getMetadata().getUid();
        // every span is sent once the processes flush (the agents and the operator stop here)
        agents.close();
        cluster.operator.stop();
        operatorTelemetry.close();

        String traceId = TraceContext.traceId(uid);
        List<Received> all = otlp.spans();
        List<Received> trace = all.stream().filter(s -> s.traceId().equals(traceId)).toList();
        Received root = trace.stream().filter(s -> s.parentId().isEmpty()).collect(onlyOne());
        assertThat(root.name()).isEqualTo("run writers");
        assertThat(root.service()).isEqualTo("ark-operator");
        assertThat(root.attributes()).containsEntry("ark.outcome", "Succeeded").containsEntry("ark.run", "t1")
                .containsEntry("gen_ai.usage.input_tokens", String.valueOf(status.totalTokenUsage().inputTokens()));
        assertThat(root.spanId()).isEqualTo(TraceContext.runSpanId(uid));

        List<Received> steps = OtlpReceiver.children(trace, root);
        assertThat(steps).extracting(Received::name)
                .containsExactlyInAnyOrder("step researcher", "step writer", "step editor");
        Map<String, StepStatus> stepStatus = status.steps().stream().collect(Collectors.toMap(StepStatus::name, s -> s));
        for (Received step : steps) {
            String name = step.attribute("ark.step");
            assertThat(step.service()).isEqualTo("ark-operator");
            assertThat(step.spanId()).isEqualTo(TraceContext.attemptSpanId("t1/" + name + "/1"));
            assertThat(step.attributes()).containsEntry("ark.outcome", "succeeded").containsEntry("ark.attempt", "1")
                    .containsEntry("gen_ai.usage.input_tokens", String.valueOf(stepStatus.get(name).tokenUsage().inputTokens()))
                    .containsEntry("gen_ai.usage.output_tokens", String.valueOf(stepStatus.get(name).tokenUsage().outputTokens()));
            List<Received> below = OtlpReceiver.children(trace, step);
            assertThat(below).extracting(Received::name).containsExactlyInAnyOrder("queue " + name, "task " + name);
            assertThat(below).allSatisfy(s -> assertThat(s.service()).isEqualTo("ark-agent"));
            Received queue = below.stream().filter(s -> s.name().startsWith("queue")).findFirst().orElseThrow();
            assertThat(queue.attribute("messaging.destination.name")).isEqualTo("team-ns.writers." + name);
            assertThat(queue.startNanos()).isGreaterThanOrEqualTo(step.startNanos() - 5_000_000L);
            Received task = below.stream().filter(s -> s.name().startsWith("task")).findFirst().orElseThrow();
            assertThat(task.attribute("ark.agent")).isEqualTo("writers-" + name + "-pod-0");
            List<Received> calls = OtlpReceiver.children(trace, task);
            assertThat(calls).extracting(Received::name).containsExactly("chat mock");
            assertThat(calls.get(0).attribute("gen_ai.usage.input_tokens"))
                    .isEqualTo(String.valueOf(stepStatus.get(name).tokenUsage().inputTokens()));
            assertThat(calls.get(0).attribute("gen_ai.system")).isEqualTo("mock");
        }
        assertThat(trace).hasSize(1 + 3 * 4);

        // the operator's reconciles of the run are their own traces, linked to the run
        List<Received> reconciles = all.stream().filter(s -> s.name().equals("reconcile arkrun")).toList();
        assertThat(reconciles).isNotEmpty().allSatisfy(r -> {
            assertThat(r.traceId()).isNotEqualTo(traceId);
            assertThat(r.span().getLinksList()).anySatisfy(link -> {
                assertThat(HexFormat.of().formatHex(link.getTraceId().toByteArray())).isEqualTo(traceId);
                assertThat(HexFormat.of().formatHex(link.getSpanId().toByteArray())).isEqualTo(root.spanId());
            });
        });
    }

    @Test
    void aScrapeOfMetricsAfterTheRunShowsItsCountsToPrometheus() throws Exception {
        cluster.create(TEAM, ArkTeam.class);
        Map<String, dev.arkonis.ark.agent.AgentRuntime> pods = new java.util.LinkedHashMap<>();
        for (String role : List.of("researcher", "writer", "editor")) {
            pods.put(role, agents.start(NS, "writers-" + role));
        }
        cluster.create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: m1, namespace: team-ns}
                spec: {teamRef: {name: writers}}
                """, ArkRun.class);
        eventually().until(() -> phase("m1") == RunPhase.Succeeded);
        RunStatus status = get("m1").getStatus();

        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + cluster.operator.healthPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Promlint.Reading operator = Promlint.read(text);
        assertThat(operator.problems()).isEmpty();
        assertThat(operator.value("ark_runs_total{namespace=\"team-ns\",outcome=\"Succeeded\",team=\"writers\"}")).isEqualTo(1);
        for (StepStatus step : status.steps()) {
            String labels = "namespace=\"team-ns\",role=\"" + step.role() + "\",team=\"writers\"";
            assertThat(operator.value("ark_steps_total{" + labels.replace("role=", "outcome=\"succeeded\",role=") + "}"))
                    .isEqualTo(1);
            assertThat(operator.value("ark_step_duration_seconds_count{" + labels + "}")).isEqualTo(1);
            assertThat(operator.value("ark_tokens_total{direction=\"input\"," + labels + "}"))
                    .isEqualTo(step.tokenUsage().inputTokens());
            assertThat(operator.value("ark_tokens_total{direction=\"output\"," + labels + "}"))
                    .isEqualTo(step.tokenUsage().outputTokens());
        }
        assertThat(operator.value("ark_reconcile_duration_seconds_count{controller=\"arkrun\"}")).isPositive();

        for (Map.Entry<String, dev.arkonis.ark.agent.AgentRuntime> pod : pods.entrySet()) {
            Promlint.Reading agent = Promlint.read(pod.getValue().metrics().registry().scrape(null).text());
            assertThat(agent.problems()).isEmpty();
            String stream = "team-ns.writers." + pod.getKey();
            assertThat(agent.value("ark_agent_tasks_total{status=\"succeeded\"}")).isEqualTo(1);
            assertThat(agent.value("ark_queue_wait_seconds_count{stream=\"" + stream + "\"}")).isEqualTo(1);
            assertThat(agent.value("ark_queue_pending{stream=\"" + stream + "\"}")).isZero();
            assertThat(agent.value("ark_queue_length{stream=\"" + stream + "\"}")).isEqualTo(1);
            assertThat(agent.value("ark_llm_call_duration_seconds_count{model=\"mock\",outcome=\"ok\",provider=\"mock\"}"))
                    .isEqualTo(1);
            long input = status.steps().stream().filter(s -> s.role().equals(pod.getKey())).findFirst().orElseThrow()
                    .tokenUsage().inputTokens();
            assertThat(agent.value("ark_llm_tokens_total{direction=\"input\",model=\"mock\",provider=\"mock\"}"))
                    .isEqualTo(input);
            assertThat(agent.value("ark_agent_tasks_in_flight")).isZero();
        }
        // no run name, task id or pod in any label: cardinality stays that of the teams
        assertThat(text).doesNotContain("m1").doesNotContain("writers-researcher-pod");
    }

    @Test
    void noKeySecretPromptOrInputTextIsInAnySpanMetricOrLogLine() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            secret(NS, "prompts", Map.of("system", SECRET_PROMPT));
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkTeam
                    metadata: {name: vault, namespace: team-ns}
                    spec:
                      inputs: [{name: topic, required: true}]
                      roles:
                        - name: keeper
                          model: m
                          provider: mock
                          systemPromptRef: {secretKeyRef: {name: prompts, key: system}}
                      pipeline:
                        - {name: first, role: keeper, inputs: {prompt: "Guard {{ .input.topic }}"}}
                        - {name: second, role: keeper, dependsOn: [first], inputs: {prompt: "Check {{ .steps.first.output }}"}}
                        - {name: third, role: keeper, dependsOn: [second], inputs: {prompt: "[mock:fail] {{ .input.topic }}"}}
                    """, ArkTeam.class);
            dev.arkonis.ark.agent.AgentRuntime pod = agents.start(NS, "vault-keeper");
            cluster.create("""
                    apiVersion: arkonis.dev/v1alpha1
                    kind: ArkRun
                    metadata: {name: s1, namespace: team-ns}
                    spec: {teamRef: {name: vault}, input: {topic: %s}}
                    """.formatted(SECRET_INPUT), ArkRun.class);
            eventually().until(() -> phase("s1") == RunPhase.Failed);
            assertThat(get("s1").getStatus().steps().get(0).output()).as("the run did see the input").contains(SECRET_INPUT);
            String operatorMetrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + cluster.operator.healthPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String agentMetrics = pod.metrics().registry().scrape("application/openmetrics-text").text();
            agents.close();
            cluster.operator.stop();
            operatorTelemetry.close();

            String spans = otlp.rawText();
            // the failed step, its agent's task and its model call each say so, with the error in ark's words
            for (String failed : List.of("step third", "task third", "chat mock")) {
                assertThat(otlp.spans()).as(failed).filteredOn(s -> s.name().equals(failed)).anySatisfy(s -> {
                            assertThat(s.failed()).isTrue();
                            assertThat(s.span().getStatus().getMessage()).contains("mock: failure requested by the prompt");
                            assertThat(s.attribute("error.type")).isNotBlank();
                        });
            }
            assertThat(otlp.spans()).filteredOn(s -> s.name().equals("step first")).allSatisfy(s -> assertThat(s.failed()).isFalse());
            String logs = log.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                    .collect(Collectors.joining("\n"));
            assertThat(logs).as("step transitions are logged with their trace id").contains("run team-ns/s1 step third attempt")
                    .contains("trace_id=");
            for (String secret : List.of(API_KEY, SECRET_PROMPT, "8675309", SECRET_INPUT)) {
                assertThat(spans).as("spans").doesNotContain(secret);
                assertThat(operatorMetrics + agentMetrics).as("metrics").doesNotContain(secret);
                assertThat(logs).as("logs").doesNotContain(secret);
            }
        } finally {
            root.detachAppender(log);
        }
    }

    private ArkRun get(String name) {
        return cluster.client.resources(ArkRun.class).inNamespace(NS).withName(name).get();
    }

    private ArkRun get(ArkRun run) {
        return get(run.getMetadata().getName());
    }

    private RunPhase phase(String name) {
        ArkRun run = get(name);
        return run.getStatus() == null ? null : run.getStatus().phase();
    }

    private static java.util.stream.Collector<Received, ?, Received> onlyOne() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.get(0);
        });
    }
}
