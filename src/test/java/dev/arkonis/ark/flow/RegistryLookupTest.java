package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Directories.agent;
import static dev.arkonis.ark.flow.Directories.capability;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** registryLookup steps: the agent found by capability and tags, least-busy or round-robin, else the fallback. */
class RegistryLookupTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CONTENT = """
            inputs: [{name: topic, required: true}]
            roles: [{name: editor, model: m}]
            pipeline:
              - role: researcher
                registryLookup: {capability: research.academic, tags: [deep], strategy: least-busy, fallback: general-researcher}
                inputs: {prompt: "Research {{ .input.topic }}"}
              - role: writer
                dependsOn: [researcher]
                registryLookup: {capability: write.article, tags: [article], strategy: round-robin}
                inputs: {prompt: "Write from {{ .steps.researcher.output }}"}
              - {role: editor, dependsOn: [writer], inputs: {prompt: "Polish {{ .steps.writer.output }}"}}
            output: "{{ .steps.editor.output }}"
            """;

    private static PipelineRun run(String spec, AgentDirectory directory) throws Exception {
        Pipeline pipeline = Teams.pipeline(spec);
        ObjectNode input = new InputResolver().resolve(pipeline.spec(), new ObjectMapper().readTree("{\"topic\": \"AI\"}"));
        return new PipelineRun(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()))
                .useDirectory(directory);
    }

    private static List<DirectoryAgent> agents() {
        return List.of(
                agent("general-researcher", capability("research.web", "web"), capability("research.academic", "academic")),
                agent("science-researcher", 180, capability("research.academic", "academic", "deep")),
                agent("deep-thinker", capability("research.academic", "deep")),
                agent("content-writer", capability("write.article", "article", "longform")),
                agent("copy-writer", capability("write.article", "article")),
                agent("summary-writer", capability("write.summary", "short")));
    }

    private static TaskOutcome answer(TaskRequest task, String output) {
        return TaskOutcome.success(task.step(), task.attempt(), output, TokenUsage.of(1, 1)).forTask(task.taskId());
    }

    @Test
    void leastBusyPicksTheAgentWithTheFewestTasksAmongThoseWithTheCapabilityAndEveryTag() throws Exception {
        Map<String, Integer> loads = new HashMap<>(Map.of("deep-thinker", 2, "science-researcher", 1));
        PipelineRun run = run(CONTENT, new StaticDirectory("content", agents(), null, null,
                ref -> loads.getOrDefault(ref.agent(), 0)));
        TaskRequest research = run.start(T0).get(0);
        assertThat(research.agent()).isEqualTo(AgentRef.standalone("science-researcher"));
        assertThat(research.deadline()).isEqualTo(T0.plusSeconds(180));
        assertThat(research.maxTokensPerCall()).isEqualTo(1234);
        assertThat(research.role()).isEqualTo("researcher");
        assertThat(run.step("researcher").assignment()).isEqualTo(new StepState.Assignment("science-researcher",
                "research.academic", "least-busy: science-researcher with 1 task(s) queued or running, of 2 agent(s) "
                        + "with capability research.academic tagged deep"));

        TaskRequest write = run.onResult(answer(research, "facts"), T0).get(0);
        assertThat(write.agent().agent()).isEqualTo("content-writer");
        assertThat(run.step("writer").assignment().reason())
                .isEqualTo("round-robin: content-writer, turn 1 of 2 agent(s) with capability write.article tagged article");
        TaskRequest edit = run.onResult(answer(write, "article"), T0).get(0);
        assertThat(edit.agent()).isEqualTo(AgentRef.teamRole("content", "editor"));
        assertThat(run.step("editor").assignment()).isNull();
        run.onResult(answer(edit, "polished"), T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).isEqualTo("polished");

        // ties go by name
        loads.clear();
        assertThat(run(CONTENT, new StaticDirectory("content", agents(), null, null, ref -> 0)).start(T0).get(0)
                .agent().agent()).isEqualTo("deep-thinker");
    }

    @Test
    void roundRobinTakesTheMatchingAgentsInTurnAcrossRunsThatShareTheCursor() throws Exception {
        Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
        List<String> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PipelineRun run = run(CONTENT, new StaticDirectory("content", agents(), null, null, ref -> 0, cursors));
            TaskRequest research = run.start(T0).get(0);
            writers.add(run.onResult(answer(research, "facts"), T0).get(0).agent().agent());
        }
        assertThat(writers).containsExactly("content-writer", "copy-writer", "content-writer");
    }

    @Test
    void withNoMatchTheFallbackTakesTheStepElseItsRoleElseTheStepFailsSayingWhy() throws Exception {
        List<DirectoryAgent> shallow = List.of(agent("general-researcher", capability("research.academic", "academic")),
                agent("content-writer", capability("write.article", "article")));
        PipelineRun fallback = run(CONTENT, new StaticDirectory("content", shallow, null, null, ref -> 0));
        assertThat(fallback.start(T0).get(0).agent().agent()).isEqualTo("general-researcher");
        assertThat(fallback.step("researcher").assignment()).isEqualTo(new StepState.Assignment("general-researcher", null,
                "no agent has capability research.academic tagged deep; fallback general-researcher"));

        PipelineRun byRole = run("""
                inputs: [{name: topic}]
                roles: [{name: researcher, model: m}]
                pipeline: [{role: researcher, registryLookup: {capability: research.academic}}]
                """, AgentDirectory.NONE);
        assertThat(byRole.start(T0).get(0).agent()).isEqualTo(AgentRef.teamRole(null, "researcher"));
        assertThat(byRole.step("researcher").assignment().reason()).isEqualTo("no agent has capability "
                + "research.academic and the lookup names no fallback; the step's role researcher runs it");

        PipelineRun none = run(CONTENT, new StaticDirectory("content", List.of(agent("content-writer")), null, null,
                ref -> 0));
        assertThat(none.start(T0)).isEmpty();
        assertThat(none.step("researcher").phase()).isEqualTo(StepPhase.Failed);
        assertThat(none.step("researcher").message()).isEqualTo("registryLookup: no agent has capability "
                + "research.academic tagged deep, and the fallback ArkAgent \"general-researcher\" was not found");
        assertThat(none.phase()).isEqualTo(RunPhase.Failed);
    }

    @Test
    void aRestoredLookupStepKeepsTheAgentItWasGivenAndARetryLooksAgain() throws Exception {
        Map<String, Integer> loads = new HashMap<>();
        StaticDirectory directory = new StaticDirectory("content", agents(), null, null,
                ref -> loads.getOrDefault(ref.agent(), 0));
        PipelineRun run = run(CONTENT, directory);
        TaskRequest research = run.start(T0).get(0);
        assertThat(research.agent().agent()).isEqualTo("deep-thinker");
        loads.put("deep-thinker", 5);
        Pipeline pipeline = Teams.pipeline(CONTENT);
        PipelineRun restored = PipelineRun.restore(pipeline, "run1",
                new InputResolver().resolve(pipeline.spec(), new ObjectMapper().readTree("{\"topic\": \"AI\"}")),
                RunLimits.NONE, new OutputChecker(new JsonSchemas()), DelegationTest.record(run), directory);
        assertThat(restored.currentTask("researcher")).contains(research);
        assertThat(restored.queueOf(restored.step("researcher"))).isEqualTo(AgentRef.standalone("deep-thinker"));

        restored.onResult(TaskOutcome.failure("researcher", 1, "boom", TokenUsage.ZERO).forTask(research.taskId()), T0);
        assertThat(restored.phase()).isEqualTo(RunPhase.Failed);
        assertThat(restored.retry(java.util.Set.of(), T0).get(0).agent().agent()).isEqualTo("science-researcher");
    }
}
