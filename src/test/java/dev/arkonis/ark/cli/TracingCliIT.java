package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.telemetry.OtlpReceiver;
import dev.arkonis.ark.telemetry.OtlpReceiver.Received;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code ark run} sends one trace per run to the OTLP endpoint the standard variables name, and nothing secret. */
class TracingCliIT {
    private static final String SECRET_KEY = "sk-test-5ecr3t-k3y-0123456789";
    private static final String SECRET_TOPIC = "the-launch-codes-7781";

    @Test
    void aThreeStepRunIsOneTraceOfRunStepsQueueWaitsTasksAndModelCalls() throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().withEnv(otlp.env("ark-cli")),
                    "run", "examples/linear.yaml", "--provider", "mock");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<Received> spans = otlp.spans();

            assertThat(spans.stream().map(Received::traceId).collect(Collectors.toSet())).hasSize(1);
            assertThat(spans).allSatisfy(s -> assertThat(s.service()).isEqualTo("ark-cli"));
            List<Received> roots = spans.stream().filter(s -> s.parentId().isEmpty()).toList();
            assertThat(roots).extracting(Received::name).containsExactly("run blog-writer");
            Received root = roots.get(0);
            assertThat(root.attribute("ark.outcome")).isEqualTo("Succeeded");

            List<Received> steps = OtlpReceiver.children(spans, root);
            assertThat(steps).extracting(Received::name)
                    .containsExactlyInAnyOrder("step researcher", "step writer", "step editor");
            long runInput = 0;
            for (Received step : steps) {
                String name = step.attribute("ark.step");
                assertThat(step.attribute("ark.attempt")).isEqualTo("1");
                assertThat(step.attribute("ark.outcome")).isEqualTo("succeeded");
                List<Received> below = OtlpReceiver.children(spans, step);
                assertThat(below).extracting(Received::name)
                        .containsExactlyInAnyOrder("queue " + step.attribute("ark.role"), "task " + name);
                Received task = below.stream().filter(s -> s.name().startsWith("task ")).findFirst().orElseThrow();
                List<Received> calls = OtlpReceiver.children(spans, task);
                assertThat(calls).extracting(Received::name).containsExactly("chat mock");
                Received call = calls.get(0);
                assertThat(call.attributes()).containsEntry("gen_ai.system", "mock")
                        .containsEntry("gen_ai.operation.name", "chat")
                        .containsEntry("gen_ai.response.finish_reasons", "[stop]")
                        .containsEntry("ark.llm.retries", "0");
                long input = Long.parseLong(call.attribute("gen_ai.usage.input_tokens"));
                assertThat(input).isPositive();
                assertThat(step.attribute("gen_ai.usage.input_tokens")).isEqualTo(String.valueOf(input));
                assertThat(step.attribute("gen_ai.usage.output_tokens")).isEqualTo(call.attribute("gen_ai.usage.output_tokens"));
                assertThat(step.startNanos()).isGreaterThanOrEqualTo(root.startNanos());
                assertThat(step.endNanos()).isLessThanOrEqualTo(root.endNanos());
                runInput += input;
            }
            assertThat(root.attribute("gen_ai.usage.input_tokens")).isEqualTo(String.valueOf(runInput));
            // the writer starts after the researcher ends: the tree's times show the pipeline's order
            Map<String, Received> byName = steps.stream().collect(Collectors.toMap(Received::name, s -> s));
            assertThat(byName.get("step writer").startNanos()).isGreaterThanOrEqualTo(byName.get("step researcher").endNanos());
        }
    }

    @Test
    void overGrpcThePackagedCliSendsTheSameTree() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.grpc()) {
            ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().withEnv(otlp.env("ark-cli")),
                    "run", "examples/linear.yaml", "--provider", "mock");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<Received> spans = otlp.spans();
            Received root = OtlpReceiver.named(spans, "run blog-writer").orElseThrow(() -> new AssertionError(
                    "no run span over gRPC; stderr: " + run.stderr()));
            assertThat(OtlpReceiver.children(spans, root)).extracting(Received::name)
                    .containsExactlyInAnyOrder("step researcher", "step writer", "step editor");
            assertThat(spans).extracting(Received::name).contains("chat mock");
        }
    }

    @Test
    void noKeyAndByDefaultNoPromptOrOutputTextIsExported() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_KEY", SECRET_KEY);
        env.put("ANTHROPIC_API_KEY", SECRET_KEY);
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            env.putAll(otlp.env("ark-cli"));
            ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().withEnv(env),
                    "run", "examples/linear.yaml", "--provider", "mock", "--input", "topic=" + SECRET_TOPIC);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(otlp.spans()).hasSizeGreaterThan(10);
            assertThat(otlp.rawText()).doesNotContain(SECRET_KEY).doesNotContain(SECRET_TOPIC);
            assertThat(run.stderr()).doesNotContain(SECRET_KEY).doesNotContain(SECRET_TOPIC);
        }
        // the same search finds the prompt once capturing content is switched on, so it can fail
        env.put("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            env.putAll(otlp.env("ark-cli"));
            ArkProcess.Result run = ArkProcess.run(ArkProcess.Options.defaults().withEnv(env),
                    "run", "examples/linear.yaml", "--provider", "mock", "--input", "topic=" + SECRET_TOPIC);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(otlp.rawText()).contains(SECRET_TOPIC).doesNotContain(SECRET_KEY);
            Set<String> prompts = otlp.spans().stream().map(s -> s.attribute("gen_ai.prompt"))
                    .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
            assertThat(prompts).anySatisfy(p -> assertThat(p).contains(SECRET_TOPIC));
        }
    }

    @Test
    void arkLogFormatJsonWritesOneJsonObjectPerLine() throws Exception {
        ArkProcess.Result agent = ArkProcess.run(ArkProcess.Options.defaults().withEnv(Map.of("ARK_LOG_FORMAT", "json")),
                "agent");
        assertThat(agent.exitCode()).isNotZero();
        List<String> lines = agent.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isNotEmpty();
            assertThat(json.has("timestamp")).isTrue();
        }
        com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("loggerName").asText()).isEqualTo("agent");
        assertThat(first.path("formattedMessage").asText()).endsWith("not set");

        ArkProcess.Result text = ArkProcess.run("agent");
        assertThat(text.stderr()).containsPattern("ERROR agent: \\S+ not set");
    }
}
