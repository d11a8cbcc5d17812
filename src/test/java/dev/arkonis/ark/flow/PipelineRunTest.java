package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineRunTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenUsage TEN = TokenUsage.of(6, 4);

    private static PipelineRun run(String specYaml, String inputJson, RunLimits limits) throws Exception {
        Pipeline pipeline = Teams.pipeline(specYaml);
        ObjectNode given = (ObjectNode) new ObjectMapper().readTree(inputJson);
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), given);
        return new PipelineRun(pipeline, "run1", input, limits, new OutputChecker(new JsonSchemas()));
    }

    private static PipelineRun run(String specYaml) throws Exception {
        return run(specYaml, "{}", RunLimits.NONE);
    }

    private static List<String> names(List<TaskRequest> tasks) {
        return tasks.stream().map(TaskRequest::step).toList();
    }

    private static List<TaskRequest> succeed(PipelineRun run, TaskRequest task, String output, Instant at) {
        return run.onResult(TaskOutcome.success(task.step(), task.attempt(), output, TEN), at);
    }

    private static final String LINEAR = """
            inputs: [{name: topic, default: cats}]
            roles: [{name: r, model: m}, {name: w, model: m}]
            pipeline:
              - name: research
                role: r
                inputs: {prompt: "Research {{ .input.topic }}"}
              - name: write
                role: w
                dependsOn: [research]
                inputs: {prompt: "Write using {{ .steps.research.output }}", style: "short"}
            output: "final: {{ .steps.write.output }}"
            """;

    @Test
    void aLinearPipelineRunsStepByStepWithRenderedPrompts() throws Exception {
        PipelineRun run = run(LINEAR);
        List<TaskRequest> first = run.start(T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(first).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("research");
            assertThat(t.role()).isEqualTo("r");
            assertThat(t.prompt()).isEqualTo("Research cats");
            assertThat(t.taskId()).isEqualTo("run1/research/1");
            assertThat(t.deadline()).isEqualTo(T0.plusSeconds(120));
            assertThat(t.maxTokensPerCall()).isEqualTo(8000);
        });
        List<TaskRequest> second = succeed(run, first.get(0), "facts", T0.plusSeconds(1));
        assertThat(second).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("write");
            assertThat(t.prompt()).isEqualTo("Write using facts\n\nstyle:\nshort");
        });
        assertThat(succeed(run, second.get(0), "post", T0.plusSeconds(3))).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).isEqualTo("final: post");
        assertThat(run.totalTokens()).isEqualTo(TokenUsage.of(12, 8));
        assertThat(run.completionTime()).isEqualTo(T0.plusSeconds(3));
        assertThat(run.steps()).extracting(StepState::phase).containsOnly(StepPhase.Succeeded);
        assertThat(run.step("write").tokens()).isEqualTo(TEN);
    }

    @Test
    void independentStepsRunInParallelAndAJoinWaitsForBoth() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: plan, role: r}
                  - {name: left, role: r, dependsOn: [plan]}
                  - {name: right, role: r, dependsOn: [plan]}
                  - name: join
                    role: r
                    dependsOn: [left, right]
                    inputs: {prompt: "{{ .steps.left.output }}+{{ .steps.right.output }}"}
                """);
        List<TaskRequest> branches = succeed(run, run.start(T0).get(0), "p", T0);
        assertThat(names(branches)).containsExactly("left", "right");
        assertThat(succeed(run, branches.get(1), "R", T0)).isEmpty();
        List<TaskRequest> join = succeed(run, branches.get(0), "L", T0);
        assertThat(join).singleElement().extracting(TaskRequest::prompt).isEqualTo("L+R");
        succeed(run, join.get(0), "done", T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).as("without an output template the last step's output is the run's").isEqualTo("done");
    }

    private static final String CONDITIONAL = """
            inputs: [{name: review, type: boolean, default: false}]
            roles: [{name: r, model: m}]
            pipeline:
              - {name: draft, role: r}
              - {name: check, role: r, dependsOn: [draft], if: "{{ .input.review }}"}
              - name: publish
                role: r
                dependsOn: [draft, check]
                inputs: {prompt: "[{{ .steps.check.output }}] {{ .steps.check.phase }}"}
            """;

    @Test
    void aFalseConditionSkipsTheStepAndItsDependentsStillRun() throws Exception {
        PipelineRun run = run(CONDITIONAL);
        List<TaskRequest> next = succeed(run, run.start(T0).get(0), "d", T0);
        assertThat(next).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("publish");
            assertThat(t.prompt()).isEqualTo("[] Skipped");
        });
        assertThat(run.step("check").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("check").message()).isEqualTo("skipped: condition is false ({{ .input.review }})");
        succeed(run, next.get(0), "p", T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void aTrueConditionRunsTheStep() throws Exception {
        PipelineRun run = run(CONDITIONAL, "{\"review\": true}", RunLimits.NONE);
        assertThat(names(succeed(run, run.start(T0).get(0), "d", T0))).containsExactly("check");
    }

    @Test
    void aFailedStepFailsTheRunSkipsDescendantsAndLetsRunningBranchesFinish() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: a, role: r}
                  - {name: b, role: r}
                  - {name: c, role: r, dependsOn: [a]}
                  - {name: d, role: r, dependsOn: [c]}
                  - {name: e, role: r, dependsOn: [b]}
                """);
        List<TaskRequest> roots = run.start(T0);
        assertThat(names(roots)).containsExactly("a", "b");
        assertThat(run.onResult(TaskOutcome.failure("a", 1, "model exploded", TEN), T0.plusSeconds(1))).isEmpty();
        assertThat(run.phase()).as("b is still running").isEqualTo(RunPhase.Running);
        assertThat(run.step("c").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("c").message()).isEqualTo("skipped: depends on failed step a");
        assertThat(run.step("d").message()).isEqualTo("skipped: depends on failed step a");
        assertThat(succeed(run, roots.get(1), "b-out", T0.plusSeconds(2))).as("no new work after a failure").isEmpty();
        assertThat(run.step("b").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(run.step("b").output()).isEqualTo("b-out");
        assertThat(run.step("e").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("e").message()).isEqualTo("skipped: the run failed at step a");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.failedStep()).isEqualTo("a");
        assertThat(run.reason()).isEqualTo(PipelineRun.REASON_STEP_FAILED);
        assertThat(run.message()).isEqualTo("step a failed: model exploded");
        assertThat(run.step("a").message()).isEqualTo("model exploded");
        assertThat(run.totalTokens().totalTokens()).isEqualTo(20);
    }

    @Test
    void retryResetsFailedAndSkippedStepsWithANewAttemptAndKeepsSucceededOutputs() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: a, role: r}
                  - {name: b, role: r, dependsOn: [a]}
                  - {name: c, role: r, dependsOn: [b]}
                """);
        TaskRequest a = run.start(T0).get(0);
        TaskRequest b = succeed(run, a, "A", T0).get(0);
        run.onResult(TaskOutcome.failure("b", 1, "boom", TEN), T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);

        assertThatThrownBy(() -> run.retry(Set.of("a"), T0)).hasMessageContaining("succeeded");
        List<TaskRequest> retried = run.retry(Set.of(), T0.plusSeconds(5));
        assertThat(retried).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("b");
            assertThat(t.attempt()).isEqualTo(2);
            assertThat(t.taskId()).isEqualTo("run1/b/2");
        });
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(run.step("a").output()).isEqualTo("A");
        assertThat(run.step("c").phase()).isEqualTo(StepPhase.Pending);
        assertThat(run.onResult(TaskOutcome.success("b", 1, "late result of the old attempt", TEN), T0))
                .as("a result for an earlier attempt is ignored").isEmpty();
        TaskRequest c = succeed(run, retried.get(0), "B", T0).get(0);
        succeed(run, c, "C", T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.failedStep()).isNull();
        assertThat(run.message()).isNull();
    }

    @Test
    void aResultIsAppliedOnceHoweverOftenItArrives() throws Exception {
        PipelineRun run = run(LINEAR);
        TaskRequest first = run.start(T0).get(0);
        assertThat(succeed(run, first, "facts", T0)).hasSize(1);
        assertThat(succeed(run, first, "facts", T0)).isEmpty();
        assertThat(run.totalTokens()).isEqualTo(TEN);
    }

    private static final String SCHEMA_STEP = """
            roles: [{name: r, model: m}]
            pipeline:
              - role: r
                inputs: {prompt: "Give JSON"}
                outputSchema: '{"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}'
            """;

    @Test
    void anOutputFailingItsSchemaIsRetriedWithTheErrorsFedBackThenFails() throws Exception {
        PipelineRun run = run(SCHEMA_STEP);
        TaskRequest first = run.start(T0).get(0);
        assertThat(first.outputSchema()).contains("\"required\"");
        List<TaskRequest> retry = succeed(run, first, "{\"n\": \"seven\"}", T0);
        assertThat(retry).singleElement().satisfies(t -> {
            assertThat(t.attempt()).isEqualTo(2);
            assertThat(t.prompt()).startsWith("Give JSON\n\nYour previous answer was rejected:\n- ").contains("integer");
        });
        TaskRequest third = succeed(run, retry.get(0), "not json at all", T0).get(0);
        assertThat(succeed(run, third, "{}", T0)).isEmpty();
        StepState step = run.step("r");
        assertThat(step.phase()).isEqualTo(StepPhase.Failed);
        assertThat(step.attempts()).isEqualTo(3);
        assertThat(step.validationAttempts()).isEqualTo(3);
        assertThat(step.message()).startsWith("output failed validation after 3 attempt(s): ").contains("n");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.totalTokens().totalTokens()).as("every attempt's tokens count").isEqualTo(30);
    }

    @Test
    void jsonInAFencedBlockIsAcceptedAndKeptAsJson() throws Exception {
        PipelineRun run = run(SCHEMA_STEP + "output: \"{{ .steps.r.data.n }}\"\n");
        succeed(run, run.start(T0).get(0), "Here you go:\n```json\n{\"n\": 7}\n```\nCheers", T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.step("r").output()).isEqualTo("{\"n\": 7}");
        assertThat(run.output()).isEqualTo("7");
    }

    @Test
    void onFailureFailDoesNotRetryAndContainsAndRejectPatternsApply() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - role: r
                    validate: {contains: "^OK", rejectPatterns: ["(?i)lorem"], onFailure: fail}
                """);
        assertThat(succeed(run, run.start(T0).get(0), "Lorem ipsum", T0)).isEmpty();
        assertThat(run.step("r").message()).isEqualTo("output failed validation after 1 attempt(s): "
                + "output does not contain a match of /^OK/; output matches the rejected pattern /(?i)lorem/");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
    }

    @Test
    void aStepTimesOutAtItsDeadline() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m, limits: {timeoutSeconds: 30}}]
                pipeline:
                  - {name: quick, role: r, timeoutSeconds: 5}
                  - {name: slow, role: r}
                """);
        run.start(T0);
        assertThat(run.nextDeadline()).contains(T0.plusSeconds(5));
        assertThat(run.onTime(T0.plusSeconds(4))).isEmpty();
        assertThat(run.step("quick").phase()).isEqualTo(StepPhase.Running);
        run.onTime(T0.plusSeconds(5));
        assertThat(run.step("quick").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("quick").message()).isEqualTo("timed out after 5s");
        assertThat(run.nextDeadline()).contains(T0.plusSeconds(30));
        run.onTime(T0.plusSeconds(30));
        assertThat(run.step("slow").message()).isEqualTo("timed out after 30s");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.nextDeadline()).isEmpty();
    }

    @Test
    void theRunTimesOutAndAbandonsWhatIsInFlight() throws Exception {
        PipelineRun run = run(LINEAR, "{}", new RunLimits(Duration.ofSeconds(10), null));
        TaskRequest first = run.start(T0).get(0);
        assertThat(run.nextDeadline()).contains(T0.plusSeconds(10));
        run.onTime(T0.plusSeconds(10));
        assertThat(run.phase()).isEqualTo(RunPhase.TimedOut);
        assertThat(run.message()).isEqualTo("run timed out after 10s");
        assertThat(run.step("research").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("research").message()).isEqualTo("abandoned: the run timed out");
        assertThat(run.step("write").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(succeed(run, first, "too late", T0.plusSeconds(11))).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.TimedOut);
    }

    @Test
    void theRunTokenBudgetStopsFurtherDispatch() throws Exception {
        PipelineRun run = run(LINEAR, "{}", new RunLimits(null, 5L));
        assertThat(succeed(run, run.start(T0).get(0), "facts", T0)).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.reason()).isEqualTo(PipelineRun.REASON_BUDGET_EXCEEDED);
        assertThat(run.message()).isEqualTo("run token budget of 5 tokens exceeded (used 10)");
        assertThat(run.step("write").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("write").message()).isEqualTo("skipped: run token budget of 5 tokens exceeded (used 10)");
    }

    @Test
    void aTemplateErrorAtRunTimeFailsTheStepWithTheMessage() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: a, role: r}
                  - name: b
                    role: r
                    dependsOn: [a]
                    inputs: {prompt: "{{ .steps.a.data.missing }}"}
                """);
        succeed(run, run.start(T0).get(0), "{\"other\": 1}", T0);
        assertThat(run.step("b").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("b").message()).startsWith("inputs: ").contains("missing");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
    }

    @Test
    void numberInputsReachTemplatesAsGoDecodesTheRunsJsonInputAndIntegerInputsStayInts() throws Exception {
        String team = """
                inputs:
                  - {name: big, type: number}
                  - {name: n, type: number}
                  - {name: k, type: integer}
                  - {name: obj, type: object}
                  - {name: list, type: array}
                roles: [{name: r, model: m}]
                pipeline:
                  - name: a
                    role: r
                    inputs:
                      prompt: >-
                        {{ .input.big }} {{ .input.n }} {{ printf "%v %T" .input.n .input.n }} {{ eq .input.n 3.0 }}
                        {{ printf "%d" .input.k }} {{ eq .input.k 7 }} {{ .input.obj.c }} {{ index .input.list 1 }}
                """;
        PipelineRun run = run(team, "{\"big\": 1234567, \"n\": 3, \"k\": 7, \"obj\": {\"c\": 2}, \"list\": [1, 1500000]}",
                RunLimits.NONE);
        assertThat(run.start(T0)).singleElement().extracting(TaskRequest::prompt)
                .isEqualTo("1.234567e+06 3 3 float64 true 7 true 2 1.5e+06");

        PipelineRun intCompare = run(team.replace("{{ eq .input.n 3.0 }}", "{{ eq .input.n 3 }}"),
                "{\"big\": 1, \"n\": 3, \"k\": 7, \"obj\": {}, \"list\": [1, 2]}", RunLimits.NONE);
        assertThat(intCompare.start(T0)).isEmpty();
        assertThat(intCompare.step("a").message()).startsWith("inputs: ").contains("incompatible types for comparison");
    }

    @Test
    void changesAreReportedOnceEach() throws Exception {
        PipelineRun run = run(LINEAR);
        TaskRequest first = run.start(T0).get(0);
        assertThat(run.drainChanges()).extracting(StepState::name, StepState::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("research", StepPhase.Running));
        succeed(run, first, "x", T0);
        assertThat(run.drainChanges()).extracting(StepState::name).containsExactly("research", "write");
        assertThat(run.drainChanges()).isEmpty();
    }

    @Test
    void aStepsQueueWaitIsSummedOverTheResultsAppliedAndSurvivesARestore() throws Exception {
        PipelineRun run = run(LINEAR);
        TaskRequest research = run.start(T0).get(0);
        assertThat(run.step("research").queueWait()).as("no result yet: unknown").isNull();
        run.onResult(TaskOutcome.failure("research", 1, "boom", TEN).withQueueWait(Duration.ofMillis(300)), T0);
        assertThat(run.step("research").queueWait()).isEqualTo(Duration.ofMillis(300));

        PipelineRun retried = restored(run, LINEAR);
        TaskRequest again = retried.retry(Set.of(), T0.plusSeconds(1)).get(0);
        assertThat(retried.step("research").queueWait()).isEqualTo(Duration.ofMillis(300));
        retried.onResult(TaskOutcome.success("research", again.attempt(), "facts", TEN)
                .withQueueWait(Duration.ofMillis(200)), T0.plusSeconds(2));
        assertThat(retried.step("research").queueWait()).as("over both attempts").isEqualTo(Duration.ofMillis(500));
        // a result that does not say (an older agent) leaves the known sum as it is
        TaskRequest write = retried.currentTask("write").orElseThrow();
        succeed(retried, write, "post", T0.plusSeconds(3));
        assertThat(retried.step("write").queueWait()).isNull();
        // a result the run ignores (stale attempt) adds nothing
        retried.onResult(TaskOutcome.success("research", research.attempt(), "late", TEN)
                .withQueueWait(Duration.ofSeconds(9)), T0.plusSeconds(4));
        assertThat(retried.step("research").queueWait()).isEqualTo(Duration.ofMillis(500));
    }

    private static PipelineRun restored(PipelineRun run, String specYaml) throws Exception {
        RunRecord record = new RunRecord(run.phase(), run.startTime(), run.completionTime(), run.runDeadline().orElse(null),
                run.failedStep(), run.message(), run.reason(), run.output(), run.steps());
        Pipeline pipeline = Teams.pipeline(specYaml);
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), new ObjectMapper().createObjectNode());
        return PipelineRun.restore(pipeline, "run1", input, RunLimits.NONE, new OutputChecker(new JsonSchemas()), record);
    }

    @Test
    void aRestoredRunCarriesOnWhereItStoodAndRebuildsTheTaskItWaitsOn() throws Exception {
        PipelineRun run = run(LINEAR);
        TaskRequest research = run.start(T0).get(0);
        TaskRequest write = succeed(run, research, "facts", T0.plusSeconds(1)).get(0);

        PipelineRun again = restored(run, LINEAR);
        assertThat(again.resume(T0.plusSeconds(2))).as("nothing new is ready").isEmpty();
        assertThat(again.currentTask("write")).contains(write);
        assertThat(again.currentTask("research")).isEmpty();
        assertThat(again.totalTokens()).isEqualTo(TEN);
        assertThat(again.onResult(TaskOutcome.success("research", 1, "again", TEN), T0)).as("already applied").isEmpty();
        succeed(again, write, "post", T0.plusSeconds(3));
        assertThat(again.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(again.output()).isEqualTo("final: post");
        assertThat(again.totalTokens()).isEqualTo(TokenUsage.of(12, 8));
    }

    @Test
    void aRestoredRunKeepsConditionSkipsAndValidationRetries() throws Exception {
        PipelineRun run = run(CONDITIONAL);
        TaskRequest publish = succeed(run, run.start(T0).get(0), "d", T0).get(0);
        PipelineRun again = restored(run, CONDITIONAL);
        assertThat(again.currentTask("publish")).contains(publish);
        succeed(again, publish, "p", T0);
        assertThat(again.phase()).isEqualTo(RunPhase.Succeeded);

        PipelineRun schema = run(SCHEMA_STEP);
        TaskRequest retry = succeed(schema, schema.start(T0).get(0), "nope", T0).get(0);
        assertThat(schema.step("r").message()).startsWith("retrying: attempt 2 after failed validation: ");
        PipelineRun restoredSchema = restored(schema, SCHEMA_STEP);
        TaskRequest rebuilt = restoredSchema.currentTask("r").orElseThrow();
        assertThat(rebuilt.taskId()).isEqualTo(retry.taskId());
        assertThat(rebuilt.prompt()).startsWith("Give JSON\n\nYour previous answer was rejected:");
        succeed(restoredSchema, rebuilt, "{\"n\": 1}", T0);
        assertThat(restoredSchema.phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void aRestoredValidationRetrySendsExactlyThePromptItWasSentWith() throws Exception {
        PipelineRun schema = run(SCHEMA_STEP);
        // two validation errors: the prompt lists each on its own line
        TaskRequest retry = succeed(schema, schema.start(T0).get(0), "{\"n\": \"seven\", \"extra\": [}", T0).get(0);
        TaskRequest twoErrors = succeed(schema, retry, "{\"m\": 1}", T0).get(0);
        assertThat(schema.step("r").validationErrors()).isNotEmpty();

        TaskRequest rebuilt = restored(schema, SCHEMA_STEP).currentTask("r").orElseThrow();
        assertThat(rebuilt.prompt()).isEqualTo(twoErrors.prompt());
        assertThat(rebuilt).isEqualTo(twoErrors);
    }

    @Test
    void whySkippedStepsWereSkippedIsStateOfItsOwnNotParsedFromTheMessage() throws Exception {
        PipelineRun run = run(CONDITIONAL);
        succeed(run, run.start(T0).get(0), "d", T0);
        assertThat(run.step("check").skipReason()).isEqualTo(dev.arkonis.ark.api.SkipReason.ConditionFalse);
        // a message rewritten by whoever recorded the run changes nothing: dependents of a condition-skip still run
        List<StepState> reworded = run.steps().stream().map(s -> s.name().equals("check")
                ? new StepState(s.name(), s.role(), s.phase(), s.taskId(), s.attempts(), s.validationAttempts(),
                        s.startTime(), s.completionTime(), s.deadline(), s.output(), "not run", s.tokens(),
                        s.skipReason(), s.validationErrors(), s.iterations(), s.queueWait())
                : s).toList();
        RunRecord record = new RunRecord(run.phase(), run.startTime(), run.completionTime(), null, run.failedStep(),
                run.message(), run.reason(), run.output(), reworded);
        Pipeline pipeline = Teams.pipeline(CONDITIONAL);
        ObjectNode input = new InputResolver().resolve(pipeline.spec().inputList(), new ObjectMapper().createObjectNode());
        PipelineRun again = PipelineRun.restore(pipeline, "run1", input, RunLimits.NONE,
                new OutputChecker(new JsonSchemas()), record);
        assertThat(again.currentTask("publish")).isPresent();

        PipelineRun failing = run(LINEAR);
        failing.start(T0);
        failing.onResult(TaskOutcome.failure("research", 1, "boom", TEN), T0.plusSeconds(1));
        assertThat(failing.step("write").skipReason()).isEqualTo(dev.arkonis.ark.api.SkipReason.DependencyFailed);
        assertThat(failing.step("write").message()).isEqualTo("skipped: depends on failed step research");
    }

    @Test
    void aLongChainRunsToTheEnd() throws Exception {
        StringBuilder yaml = new StringBuilder("roles: [{name: r, model: m}]\npipeline:\n  - {name: s0, role: r}\n");
        for (int i = 1; i < 2000; i++) {
            yaml.append("  - {name: s").append(i).append(", role: r, dependsOn: [s").append(i - 1).append("]}\n");
        }
        PipelineRun run = run(yaml.toString());
        List<TaskRequest> next = run.start(T0);
        int dispatched = 0;
        while (!next.isEmpty()) {
            dispatched++;
            next = succeed(run, next.get(0), "o", T0);
        }
        assertThat(dispatched).isEqualTo(2000);
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void readingDataOfAStepWhoseOutputIsNotJsonSaysSo() throws Exception {
        PipelineRun run = run("""
                roles: [{name: r, model: m}]
                pipeline:
                  - {name: facts, role: r}
                  - {name: use, role: r, dependsOn: [facts], inputs: {prompt: "{{ .steps.facts.data.points }}"}}
                """);
        TaskRequest facts = run.start(T0).get(0);
        assertThat(succeed(run, facts, "Here are the points:\n1. water is wet", T0)).isEmpty();
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.step("use").message()).isEqualTo("inputs: step facts's output is not JSON, so .steps.facts.data "
                + "has nothing to read (it begins: \"Here are the points: 1. water is wet\")");
    }
}
