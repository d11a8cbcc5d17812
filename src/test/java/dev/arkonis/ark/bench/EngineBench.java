package dev.arkonis.ark.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.JsonSchemas;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.llm.mock.MockProvider;
import dev.arkonis.ark.local.LocalRunObserver;
import dev.arkonis.ark.local.LocalRunner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Engine cost on generated DAGs (layers of 10 steps, each step depending on two steps of the layer before, with a
 * template reading one of them): the whole local run with the zero-latency mock, and the engine alone (scheduling,
 * rendering and result handling without threads or a provider), per step at 20, 200 and 2000 steps.
 */
public final class EngineBench {
    private static final int WIDTH = 10;

    public static void main(String[] args) throws Exception {
        int[] sizes = {20, 200, 2000};
        for (int warm = 0; warm < 3; warm++) {
            for (int n : sizes) {
                localRun(n);
                engineOnly(n);
            }
        }
        System.out.println("steps | local run (mock, threads) | per step | engine only | per step");
        for (int n : sizes) {
            double local = best(() -> localRun(n));
            double engine = best(() -> engineOnly(n));
            System.out.printf("%5d | %10.1f ms | %7.1f us | %8.2f ms | %6.1f us%n", n, local, local * 1000 / n, engine,
                    engine * 1000 / n);
        }
        for (int warm = 0; warm < 3; warm++) {
            parse();
        }
        double parse = best(EngineBench::parse);
        System.out.printf("template parse: %.2f us per template (%d templates of %d chars on average)%n",
                parse * 1000 / (PARSE_ROUNDS * TEMPLATES.size()), TEMPLATES.size(),
                TEMPLATES.stream().mapToInt(String::length).sum() / TEMPLATES.size());
    }

    private static final int PARSE_ROUNDS = 2000;
    /** Templates as team files write them: fields, pipelines, functions, conditions and loops. */
    private static final List<String> TEMPLATES = List.of(
            "Write a post about {{ .input.topic }}.",
            "Facts: {{ .steps.research.output }}\nStyle: {{ .input.style | default \"plain\" | lower }}",
            "{{ if gt (len .steps.review.data.issues) 0 }}Fix: {{ range $i, $e := .steps.review.data.issues }}"
                    + "{{ $i }}. {{ $e.title | trim }}\n{{ end }}{{ else }}Publish it.{{ end }}",
            "{{- with .steps.outline.data -}}{{ printf \"%s (%d sections)\" .title (len .sections) }}{{- end -}}",
            "{{ toJson .steps.extract.data }} {{ index .input.labels \"team\" }} {{ and .input.a (not .input.b) }}");

    private static double parse() throws Exception {
        long start = System.nanoTime();
        int sink = 0;
        for (int round = 0; round < PARSE_ROUNDS; round++) {
            for (String source : TEMPLATES) {
                sink += Template.parse(source).rootFieldChains().size();
            }
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (sink == 0) {
            throw new IllegalStateException("templates read no fields");
        }
        return ms;
    }

    interface Timed {
        double run() throws Exception;
    }

    private static double best(Timed timed) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, timed.run());
        }
        return best;
    }

    static ArkTeamSpec dag(int steps) {
        List<PipelineStep> pipeline = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            List<String> deps = new ArrayList<>();
            String prompt = "step " + i;
            if (i >= WIDTH) {
                int layerStart = (i / WIDTH - 1) * WIDTH;
                deps.add("s" + (layerStart + i % WIDTH));
                deps.add("s" + (layerStart + (i + 1) % WIDTH));
                prompt += " after {{ .steps.s" + (layerStart + i % WIDTH) + ".output }}";
            }
            pipeline.add(new PipelineStep("r", "s" + i, deps, Map.of("prompt", prompt), null, null, null, null, null, null));
        }
        TeamRole role = new TeamRole("r", "mock-model", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
        return new ArkTeamSpec(List.of(role), null, pipeline, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static PipelineRun newRun(int steps) throws Exception {
        JsonSchemas schemas = new JsonSchemas();
        Pipeline pipeline = Pipeline.compile(dag(steps), new TeamValidator(schemas));
        return new PipelineRun(pipeline, "bench", JsonNodeFactory.instance.objectNode(), RunLimits.NONE,
                new OutputChecker(schemas));
    }

    private static double localRun(int steps) throws Exception {
        PipelineRun run = newRun(steps);
        long start = System.nanoTime();
        new LocalRunner(role -> MockProvider.INSTANCE, LocalRunObserver.NONE, Clock.systemUTC()).run(run);
        double ms = (System.nanoTime() - start) / 1e6;
        check(run);
        return ms;
    }

    private static double engineOnly(int steps) throws Exception {
        PipelineRun run = newRun(steps);
        Instant now = Instant.now();
        long start = System.nanoTime();
        ArrayDeque<TaskRequest> queue = new ArrayDeque<>(run.start(now));
        TokenUsage usage = TokenUsage.of(10, 5);
        while (!queue.isEmpty()) {
            TaskRequest task = queue.poll();
            queue.addAll(run.onResult(TaskOutcome.success(task.step(), task.attempt(), "out " + task.step(), usage), now));
        }
        double ms = (System.nanoTime() - start) / 1e6;
        check(run);
        return ms;
    }

    private static void check(PipelineRun run) {
        if (run.phase() != RunPhase.Succeeded) {
            throw new IllegalStateException("benchmark run ended " + run.phase() + ": " + run.message());
        }
    }
}
