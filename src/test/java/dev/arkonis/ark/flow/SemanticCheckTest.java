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

/**
 * validate.semantic in the pure engine: the judge call is a task the run emits (to the step's role or
 * validate.judgeRole) and a result it receives, so the local runner and the operator carry it like any other.
 */
class SemanticCheckTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenUsage TEN = TokenUsage.of(6, 4);
    private static final TokenUsage JUDGE = TokenUsage.of(20, 5);

    private static final String TEAM = """
            roles: [{name: writer, model: m}, {name: critic, model: m, limits: {maxTokensPerCall: 500}}]
            pipeline:
              - role: writer
                inputs: {prompt: "Write a haiku"}
                validate: {semantic: "It must mention the sea.", judgeRole: critic, maxRetries: 1}
              - role: writer
                name: after
                dependsOn: [writer]
                inputs: {prompt: "Title for {{ .steps.writer.output }}"}
            """;

    private static PipelineRun run(String specYaml) throws Exception {
        Pipeline pipeline = Teams.pipeline(specYaml);
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), new ObjectMapper().createObjectNode());
        return new PipelineRun(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()));
    }

    private static List<TaskRequest> answer(PipelineRun run, TaskRequest task, String output, TokenUsage usage) {
        return run.onResult(TaskOutcome.success(task.step(), task.attempt(), output, usage).forTask(task.taskId()), T0);
    }

    @Test
    void aPassingVerdictSucceedsTheStepWithTheJudgedOutputAndTheJudgesTokensCount() throws Exception {
        PipelineRun run = run(TEAM);
        TaskRequest write = run.start(T0).get(0);

        List<TaskRequest> judge = answer(run, write, "Waves on the sea", TEN);

        assertThat(judge).singleElement().satisfies(t -> {
            assertThat(t.taskId()).isEqualTo("run1/writer/1/judge");
            assertThat(t.role()).isEqualTo("critic");
            assertThat(t.step()).isEqualTo("writer");
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.outputSchema()).isEqualTo(SemanticJudge.VERDICT_SCHEMA);
            assertThat(t.maxTokensPerCall()).isEqualTo(500);
            assertThat(t.prompt()).contains("Criterion:\nIt must mention the sea.").contains("Answer to check:\nWaves on the sea");
        });
        StepState waiting = run.step("writer");
        assertThat(waiting.phase()).isEqualTo(StepPhase.Running);
        assertThat(waiting.taskId()).isEqualTo("run1/writer/1/judge");
        assertThat(waiting.message()).isEqualTo("judging the output against validate.semantic (role critic)");

        List<TaskRequest> next = answer(run, judge.get(0), "{\"pass\": true, \"reason\": \"mentions the sea\"}", JUDGE);

        assertThat(next).singleElement().satisfies(t -> assertThat(t.prompt()).isEqualTo("Title for Waves on the sea"));
        StepState writer = run.step("writer");
        assertThat(writer.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(writer.output()).isEqualTo("Waves on the sea");
        assertThat(writer.attempts()).isEqualTo(1);
        assertThat(writer.tokens()).isEqualTo(TEN.plus(JUDGE));
        assertThat(run.totalTokens()).isEqualTo(TEN.plus(JUDGE));
    }

    @Test
    void aFailingVerdictIsRetriedWithTheReasonFedBackThenFailsTheStepWithIt() throws Exception {
        PipelineRun run = run(TEAM);
        TaskRequest write = run.start(T0).get(0);
        TaskRequest judge = answer(run, write, "Mountains", TEN).get(0);

        List<TaskRequest> retry = answer(run, judge, "{\"pass\": false, \"reason\": \"no sea in it\"}", JUDGE);

        assertThat(retry).singleElement().satisfies(t -> {
            assertThat(t.role()).isEqualTo("writer");
            assertThat(t.attempt()).isEqualTo(2);
            assertThat(t.prompt()).isEqualTo("Write a haiku\n\nYour previous answer was rejected:\n"
                    + "- semantic check failed: no sea in it\nAnswer again and fix these problems.");
        });
        assertThat(run.step("writer").message()).isEqualTo(
                "retrying: attempt 2 after failed validation: semantic check failed: no sea in it");
        TaskRequest judgeAgain = answer(run, retry.get(0), "Hills", TEN).get(0);
        assertThat(judgeAgain.taskId()).isEqualTo("run1/writer/2/judge");

        assertThat(answer(run, judgeAgain, "```json\n{\"pass\": false, \"reason\": \"still no sea\"}\n```", JUDGE)).isEmpty();

        StepState writer = run.step("writer");
        assertThat(writer.phase()).isEqualTo(StepPhase.Failed);
        assertThat(writer.output()).isEqualTo("Hills");
        assertThat(writer.validationAttempts()).isEqualTo(2);
        assertThat(writer.message()).isEqualTo("output failed validation after 2 attempt(s): semantic check failed: still no sea");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.totalTokens()).isEqualTo(TEN.plus(JUDGE).plus(TEN).plus(JUDGE));
    }

    @Test
    void theJudgeRunsOnlyAfterTheOtherChecksPassAndDefaultsToTheStepsRole() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - role: r
                    outputSchema: '{"type": "object", "required": ["n"]}'
                    validate: {semantic: "n must be positive"}
                """);
        TaskRequest first = run.start(T0).get(0);
        TaskRequest retry = answer(run, first, "not json", TEN).get(0);
        assertThat(retry.taskId()).as("a schema failure is retried without a judge").isEqualTo("run1/r/2");

        TaskRequest judge = answer(run, retry, "{\"n\": 3}", TEN).get(0);
        assertThat(judge.role()).isEqualTo("r");
        assertThat(judge.prompt()).contains("{\"n\": 3}");
        answer(run, judge, "{\"pass\": true, \"reason\": \"3 > 0\"}", JUDGE);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void aJudgeThatFailsOrAnswersInAnotherShapeFailsTheStep() throws Exception {
        PipelineRun failedCall = run(TEAM);
        TaskRequest judge = answer(failedCall, failedCall.start(T0).get(0), "sea", TEN).get(0);
        failedCall.onResult(TaskOutcome.failure("writer", 1, "model not found", JUDGE).forTask(judge.taskId()), T0);
        assertThat(failedCall.step("writer").message()).isEqualTo("semantic check: the judge call failed: model not found");
        assertThat(failedCall.step("writer").tokens()).isEqualTo(TEN.plus(JUDGE));

        PipelineRun badAnswer = run(TEAM);
        TaskRequest judge2 = answer(badAnswer, badAnswer.start(T0).get(0), "sea", TEN).get(0);
        answer(badAnswer, judge2, "Looks fine to me!", JUDGE);
        assertThat(badAnswer.step("writer").phase()).isEqualTo(StepPhase.Failed);
        assertThat(badAnswer.step("writer").message())
                .startsWith("semantic check: the judge did not answer {\"pass\": true|false, \"reason\": \"...\"}: ");
    }

    @Test
    void theStepsOwnResultArrivingAgainWhileTheJudgeWorksIsIgnored() throws Exception {
        PipelineRun run = run(TEAM);
        TaskRequest write = run.start(T0).get(0);
        TaskRequest judge = answer(run, write, "sea", TEN).get(0);

        assertThat(answer(run, write, "sea", TEN)).isEmpty();
        assertThat(run.onResult(TaskOutcome.success("writer", 1, "sea", TEN), T0)).isEmpty();

        assertThat(run.step("writer").tokens()).isEqualTo(TEN);
        answer(run, judge, "{\"pass\": true, \"reason\": \"ok\"}", JUDGE);
        assertThat(run.step("writer").phase()).isEqualTo(StepPhase.Succeeded);
    }

    @Test
    void aRunRestoredWhileTheJudgeWorksSendsTheSameJudgeCallAgainAndAcceptsItsVerdict() throws Exception {
        PipelineRun run = run(TEAM);
        TaskRequest judge = answer(run, run.start(T0).get(0), "sea", TEN).get(0);
        RunRecord record = new RunRecord(run.phase(), run.startTime(), run.completionTime(),
                run.runDeadline().orElse(null), run.failedStep(), run.message(), run.reason(), run.output(), run.steps());

        Pipeline pipeline = Teams.pipeline(TEAM);
        PipelineRun again = PipelineRun.restore(pipeline, "run1", new ObjectMapper().createObjectNode(), RunLimits.NONE,
                new OutputChecker(new JsonSchemas()), record);

        assertThat(again.currentTask("writer")).contains(judge);
        answer(again, judge, "{\"pass\": true, \"reason\": \"ok\"}", JUDGE);
        assertThat(again.step("writer").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(again.step("writer").output()).isEqualTo("sea");
    }
}
