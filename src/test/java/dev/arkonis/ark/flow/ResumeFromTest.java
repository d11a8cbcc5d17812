package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Runs.T0;
import static dev.arkonis.ark.flow.Runs.TEN;
import static dev.arkonis.ark.flow.Runs.names;
import static dev.arkonis.ark.flow.Runs.restored;
import static dev.arkonis.ark.flow.Runs.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeFromTest {
    private static final String TEAM = """
            inputs: [{name: topic, default: cats}, {name: tone, default: dry}]
            roles: [{name: r, model: m}]
            pipeline:
              - name: research
                role: r
                inputs: {prompt: "Research {{ .input.topic }}"}
              - name: outline
                role: r
                dependsOn: [research]
                inputs: {prompt: "Outline {{ .steps.research.output }}"}
              - name: side
                role: r
                inputs: {prompt: "Side note on {{ .input.topic }}"}
              - name: write
                role: r
                dependsOn: [outline, side]
                inputs: {prompt: "Write {{ .steps.outline.output }} + {{ .steps.side.output }} in a {{ .input.tone }} tone"}
            output: "{{ .steps.write.output }}"
            """;

    /** An earlier run that ended with every step succeeded. */
    private static PipelineRun earlier() throws Exception {
        PipelineRun run = Runs.run(TEAM);
        List<TaskRequest> first = run.start(T0);
        assertThat(names(first)).containsExactly("research", "side");
        TaskRequest outline = succeed(run, first.get(0), "facts", T0).get(0);
        succeed(run, first.get(1), "aside", T0);
        TaskRequest write = succeed(run, outline, "the outline", T0).get(0);
        succeed(run, write, "old post", T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        return run;
    }

    @Test
    void aRunResumedFromAStepReusesEveryOtherOutputAndRunsThatStepAndItsDescendantsWithTheNewInput() throws Exception {
        PipelineRun source = earlier();
        PipelineRun resumed = Runs.run(TEAM, "{\"tone\": \"warm\"}", RunLimits.NONE);
        resumed.reuse(new ResumePoint("run1", "write", source.steps()));
        List<TaskRequest> first = resumed.start(T0.plusSeconds(100));
        assertThat(first).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("write");
            assertThat(t.prompt()).isEqualTo("Write the outline + aside in a warm tone");
        });
        for (String reused : List.of("research", "outline", "side")) {
            StepState step = resumed.step(reused);
            assertThat(step.phase()).isEqualTo(StepPhase.Succeeded);
            assertThat(step.output()).isEqualTo(source.step(reused).output());
            assertThat(step.tokens()).isEqualTo(TokenUsage.ZERO);
            assertThat(step.origin()).isEqualTo(OutputOrigin.reused("run1"));
            assertThat(step.message()).isEqualTo("reused from run run1");
        }
        succeed(resumed, first.get(0), "new post", T0.plusSeconds(101));
        assertThat(resumed.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(resumed.output()).isEqualTo("new post");
        assertThat(resumed.totalTokens()).as("only the step that ran again").isEqualTo(TEN);
        assertThat(resumed.step("write").origin()).isNull();
    }

    @Test
    void resumingFromAnEarlierStepRunsEverythingDownstreamButNotTheParallelBranch() throws Exception {
        PipelineRun source = earlier();
        PipelineRun resumed = Runs.run(TEAM, "{\"topic\": \"dogs\"}", RunLimits.NONE);
        resumed.reuse(new ResumePoint("run1", "research", source.steps()));
        List<TaskRequest> first = resumed.start(T0);
        assertThat(first).singleElement().satisfies(t -> assertThat(t.prompt()).isEqualTo("Research dogs"));
        assertThat(resumed.step("side").origin()).isNotNull();
        assertThat(resumed.step("outline").phase()).isEqualTo(StepPhase.Pending);
        assertThat(resumed.step("write").phase()).isEqualTo(StepPhase.Pending);

        // restored midway: what was reused stays reused
        PipelineRun again = restored(resumed, TEAM, "{\"topic\": \"dogs\"}", RunLimits.NONE);
        assertThat(again.step("side").origin()).isEqualTo(OutputOrigin.reused("run1"));
        TaskRequest outline = succeed(again, again.currentTask("research").orElseThrow(), "dog facts", T0).get(0);
        assertThat(outline.prompt()).isEqualTo("Outline dog facts");
    }

    @Test
    void stepsThatDidNotSucceedInTheEarlierRunRunAgain() throws Exception {
        PipelineRun source = Runs.run(TEAM);
        List<TaskRequest> first = source.start(T0);
        succeed(source, first.get(0), "facts", T0);
        source.onResult(TaskOutcome.failure("side", 1, "boom", TEN), T0);
        assertThat(source.failedStep()).isEqualTo("side");
        assertThat(source.step("outline").phase()).isEqualTo(StepPhase.Running);

        PipelineRun resumed = Runs.run(TEAM);
        resumed.reuse(new ResumePoint("run1", "write", source.steps()));
        assertThat(names(resumed.start(T0))).as("outline had not finished, side failed").containsExactly("outline", "side");
        assertThat(resumed.step("research").origin()).isNotNull();
    }

    @Test
    void anUnknownStepIsRefusedWithTheStepsThereAre() throws Exception {
        PipelineRun resumed = Runs.run(TEAM);
        assertThatThrownBy(() -> resumed.reuse(new ResumePoint("run1", "wirte", List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no step \"wirte\" in the pipeline (steps: research, outline, side, write)");
    }
}
