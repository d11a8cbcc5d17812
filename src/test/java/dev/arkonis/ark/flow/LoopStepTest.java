package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loop steps in the engine: a step runs again while its condition holds, and what waits on it waits for the last. */
class LoopStepTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenUsage TEN = TokenUsage.of(6, 4);

    /** A draft is refined until its JSON says it is good enough; a publish step waits for the last draft. */
    private static String team(int maxIterations) {
        return """
                roles: [{name: w, model: m}]
                pipeline:
                  - name: plan
                    role: w
                    inputs: {prompt: plan}
                  - name: draft
                    role: w
                    dependsOn: [plan]
                    inputs:
                      prompt: "{{ if .steps.draft.iteration }}Improve {{ .steps.draft.output }}{{ else }}Draft from {{ .steps.plan.output }}{{ end }}"
                    loop:
                      condition: "{{ lt .steps.draft.data.score 8.0 }}"
                      maxIterations: %d
                  - name: publish
                    role: w
                    dependsOn: [draft]
                    inputs: {prompt: "Publish {{ .steps.draft.output }} after {{ .steps.draft.iteration }} rounds"}
                """.formatted(maxIterations);
    }

    private static PipelineRun run(String spec) throws Exception {
        Pipeline pipeline = Teams.pipeline(spec);
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), new ObjectMapper().createObjectNode());
        return new PipelineRun(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()));
    }

    private static List<TaskRequest> succeed(PipelineRun run, TaskRequest task, String output) {
        return run.onResult(TaskOutcome.success(task.step(), task.attempt(), output, TEN), T0.plusSeconds(task.attempt()));
    }

    private static TaskRequest draftAfterPlan(PipelineRun run) {
        TaskRequest plan = run.start(T0).get(0);
        List<TaskRequest> next = succeed(run, plan, "the plan");
        assertThat(next).singleElement().satisfies(t -> assertThat(t.prompt()).isEqualTo("Draft from the plan"));
        return next.get(0);
    }

    @Test
    void aConditionFalseAtOnceRunsTheStepOnce() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest draft = draftAfterPlan(run);
        List<TaskRequest> next = succeed(run, draft, "{\"score\": 9, \"text\": \"good\"}");
        assertThat(next).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("publish");
            assertThat(t.prompt()).isEqualTo("Publish {\"score\": 9, \"text\": \"good\"} after 1 rounds");
        });
        StepState state = run.step("draft");
        assertThat(state.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(state.iterations()).isEqualTo(1);
        assertThat(state.message()).isEqualTo("loop ended after 1 iteration(s): the condition is false");
        assertThat(run.drainReplacedIterations()).isEmpty();
    }

    @Test
    void whileTheConditionHoldsTheStepRunsAgainAsANewAttemptAndItsDependentsWait() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest first = draftAfterPlan(run);
        List<TaskRequest> again = succeed(run, first, "{\"score\": 3}");
        assertThat(again).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("draft");
            assertThat(t.attempt()).isEqualTo(2);
            assertThat(t.taskId()).isEqualTo("run1/draft/2");
            assertThat(t.prompt()).isEqualTo("Improve {\"score\": 3}");
        });
        assertThat(run.step("draft").phase()).isEqualTo(StepPhase.Running);
        assertThat(run.step("draft").iterations()).isEqualTo(2);
        assertThat(run.step("draft").message()).isEqualTo("loop iteration 2/10");
        assertThat(run.step("draft").output()).as("the latest finished iteration").isEqualTo("{\"score\": 3}");
        assertThat(run.step("publish").phase()).isEqualTo(StepPhase.Pending);

        List<TaskRequest> third = succeed(run, again.get(0), "{\"score\": 6}");
        assertThat(third).singleElement().satisfies(t -> assertThat(t.prompt()).isEqualTo("Improve {\"score\": 6}"));
        List<TaskRequest> publish = succeed(run, third.get(0), "{\"score\": 8}");
        assertThat(publish).singleElement().satisfies(t -> assertThat(t.prompt())
                .isEqualTo("Publish {\"score\": 8} after 3 rounds"));
        assertThat(run.step("draft").tokens()).as("every iteration counts").isEqualTo(TokenUsage.of(18, 12));
        assertThat(run.drainReplacedIterations()).containsExactly(
                new IterationOutput("draft", "w", 1, "{\"score\": 3}"),
                new IterationOutput("draft", "w", 2, "{\"score\": 6}"));
        succeed(run, publish.get(0), "done");
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.totalTokens()).isEqualTo(TokenUsage.of(30, 20));
    }

    @Test
    void maxIterationsEndsTheLoopWithTheLastOutput() throws Exception {
        PipelineRun run = run(team(2));
        TaskRequest first = draftAfterPlan(run);
        TaskRequest second = succeed(run, first, "{\"score\": 1}").get(0);
        List<TaskRequest> next = succeed(run, second, "{\"score\": 2}");
        assertThat(next).extracting(TaskRequest::step).containsExactly("publish");
        assertThat(run.step("draft").iterations()).isEqualTo(2);
        assertThat(run.step("draft").message()).isEqualTo("loop ended: maxIterations (2) reached");
        assertThat(run.step("draft").output()).isEqualTo("{\"score\": 2}");
    }

    @Test
    void aFailedIterationFailsTheStepAndSkipsWhatWaitsOnIt() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest first = draftAfterPlan(run);
        TaskRequest second = succeed(run, first, "{\"score\": 2}").get(0);
        List<TaskRequest> next = run.onResult(TaskOutcome.failure("draft", second.attempt(), "model overloaded", TEN), T0);
        assertThat(next).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.failedStep()).isEqualTo("draft");
        assertThat(run.step("draft").message()).isEqualTo("model overloaded");
        assertThat(run.step("draft").output()).as("the last good iteration stays").isEqualTo("{\"score\": 2}");
        assertThat(run.step("publish").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.totalTokens()).isEqualTo(TokenUsage.of(18, 12));
    }

    @Test
    void aConditionThatCannotBeRenderedFailsTheStepNamingIt() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest first = draftAfterPlan(run);
        succeed(run, first, "not json at all");
        assertThat(run.step("draft").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("draft").message()).startsWith("loop.condition: ").contains("data");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
    }

    @Test
    void aRunRestoredMidLoopCarriesOnWithTheSameIterationAndPrompt() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest first = draftAfterPlan(run);
        TaskRequest second = succeed(run, first, "{\"score\": 4}").get(0);
        run.drainReplacedIterations();

        RunRecord record = new RunRecord(run.phase(), run.startTime(), run.completionTime(), null, run.failedStep(),
                run.message(), run.reason(), run.output(), run.steps());
        Pipeline pipeline = Teams.pipeline(team(10));
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), new ObjectMapper().createObjectNode());
        PipelineRun again = PipelineRun.restore(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()), record);
        assertThat(again.resume(T0.plusSeconds(5))).isEmpty();
        assertThat(again.currentTask("draft")).contains(second);
        assertThat(again.step("draft").iterations()).isEqualTo(2);
        assertThat(again.onResult(TaskOutcome.success("draft", 1, "{\"score\": 9}", TEN), T0)).as("an earlier iteration's result")
                .isEmpty();
        TaskRequest third = succeed(again, second, "{\"score\": 5}").get(0);
        assertThat(third.taskId()).isEqualTo("run1/draft/3");
        assertThat(third.prompt()).isEqualTo("Improve {\"score\": 5}");
        List<TaskRequest> publish = succeed(again, third, "{\"score\": 10}");
        assertThat(publish).singleElement().satisfies(t -> assertThat(t.prompt()).endsWith("after 3 rounds"));
        assertThat(again.step("draft").tokens()).isEqualTo(TokenUsage.of(18, 12));
        assertThat(again.drainReplacedIterations()).extracting(IterationOutput::iteration).containsExactly(2);
    }

    @Test
    void aFailedLoopStepRetriedStartsItsIterationsAgain() throws Exception {
        PipelineRun run = run(team(10));
        TaskRequest first = draftAfterPlan(run);
        TaskRequest second = succeed(run, first, "{\"score\": 2}").get(0);
        run.onResult(TaskOutcome.failure("draft", second.attempt(), "boom", TEN), T0);
        List<TaskRequest> retried = run.retry(java.util.Set.of(), T0.plusSeconds(10));
        assertThat(retried).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("draft");
            assertThat(t.prompt()).isEqualTo("Draft from the plan");
            assertThat(t.attempt()).isEqualTo(3);
        });
        assertThat(run.step("draft").iterations()).isEqualTo(1);
    }
}
