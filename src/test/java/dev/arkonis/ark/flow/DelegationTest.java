package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dynamic mode: an entry role's task, and every delegate call a child step whose answer goes back to its caller. */
class DelegationTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TokenUsage TEN = TokenUsage.of(6, 4);

    static final String SUPPORT = """
            entry: coordinator
            inputs:
              - {name: message, type: string, required: true}
              - {name: priority, type: integer}
            roles:
              - name: coordinator
                model: m
                canDelegate: [billing, technical, escalation]
                limits: {timeoutSeconds: 180}
              - {name: billing, model: m, canDelegate: [technical, coordinator], limits: {timeoutSeconds: 60}}
              - {name: technical, model: m, canDelegate: [escalation]}
              - {name: escalation, model: m}
            """;

    private static PipelineRun run(String spec, String input, RunLimits limits, AgentDirectory directory) throws Exception {
        Pipeline pipeline = Teams.pipeline(spec);
        ObjectNode resolved = new InputResolver().resolve(pipeline.spec().inputList(),
                new ObjectMapper().readTree(input));
        return new PipelineRun(pipeline, "run1", resolved, limits, new OutputChecker(new JsonSchemas()))
                .useDirectory(directory);
    }

    private static PipelineRun support() throws Exception {
        return run(SUPPORT, "{\"message\": \"I was charged twice\", \"priority\": 2}", RunLimits.NONE,
                Directories.of("support", Map.of(), null));
    }

    private static TaskOutcome answer(TaskRequest task, String output) {
        return TaskOutcome.success(task.step(), task.attempt(), output, TEN).forTask(task.taskId());
    }

    @Test
    void aDelegateCallBecomesAChildStepWhoseOutputIsTheCallersToolResult() throws Exception {
        PipelineRun run = support();
        TaskRequest entry = run.start(T0).get(0);
        assertThat(entry.step()).isEqualTo("coordinator");
        assertThat(entry.prompt()).isEqualTo("I was charged twice\n\npriority:\n2");
        assertThat(entry.agent()).isEqualTo(AgentRef.teamRole("support", "coordinator"));
        assertThat(entry.agent().queue("ns", "support")).isEqualTo("ns.support.coordinator");
        assertThat(entry.tools().delegates()).containsExactly("billing", "technical", "escalation");
        assertThat(entry.deadline()).isEqualTo(T0.plusSeconds(180));

        List<TaskRequest> child = run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "refund the second charge"),
                T0.plusSeconds(1));
        assertThat(child).singleElement().satisfies(t -> {
            assertThat(t.step()).isEqualTo("billing-1");
            assertThat(t.role()).isEqualTo("billing");
            assertThat(t.prompt()).isEqualTo("refund the second charge");
            assertThat(t.taskId()).isEqualTo("run1/billing-1/1");
            assertThat(t.agent().queue("ns", "support")).isEqualTo("ns.support.billing");
            assertThat(t.tools().delegates()).containsExactly("technical", "coordinator");
            assertThat(t.deadline()).isEqualTo(T0.plusSeconds(61));
        });
        StepState billing = run.step("billing-1");
        assertThat(billing.phase()).isEqualTo(StepPhase.Running);
        assertThat(billing.delegation()).isEqualTo(new StepState.Delegation("coordinator", 1, 1, 1, "refund the second charge"));
        assertThat(run.step("coordinator").message()).isEqualTo("waiting for billing-1 (delegated to billing)");
        assertThat(run.drainReplies()).isEmpty();

        run.onResult(answer(child.get(0), "refunded"), T0.plusSeconds(5));
        assertThat(run.step("billing-1").phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(run.drainReplies()).containsExactly(
                new DelegationReply("coordinator", 1, "run1/coordinator/1", 1, "billing-1", true, "refunded"));
        assertThat(run.phase()).isEqualTo(RunPhase.Running);

        run.onResult(answer(entry, "Your refund is on its way."), T0.plusSeconds(6));
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(run.output()).isEqualTo("Your refund is on its way.");
        assertThat(run.totalTokens()).isEqualTo(TokenUsage.of(12, 8));
        assertThat(run.steps()).extracting(StepState::name).containsExactly("coordinator", "billing-1");
    }

    @Test
    void delegatedRolesDelegateFurtherWithinTheDepthLimitAndBeyondItTheModelIsToldWhy() throws Exception {
        PipelineRun run = run(SUPPORT, "{\"message\": \"x\"}", RunLimits.NONE, Directories.of("support", Map.of(), 2));
        run.start(T0);
        run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "a"), T0);
        assertThat(run.onDelegation(new DelegationRequest("billing-1", 1, 1, "technical", "b"), T0))
                .singleElement().extracting(TaskRequest::step).isEqualTo("technical-1");
        assertThat(run.step("technical-1").delegation().depth()).isEqualTo(2);

        assertThat(run.onDelegation(new DelegationRequest("technical-1", 1, 1, "escalation", "c"), T0)).isEmpty();
        StepState refused = run.step("escalation-1");
        assertThat(refused.phase()).isEqualTo(StepPhase.Failed);
        assertThat(refused.delegation().parent()).isEqualTo("technical-1");
        String why = "delegation refused: delegation depth limit of 2 reached (coordinator -> billing -> technical -> "
                + "escalation); do the task yourself";
        assertThat(refused.message()).isEqualTo(why);
        assertThat(run.drainReplies()).containsExactly(
                new DelegationReply("technical-1", 1, "run1/technical-1/1", 1, "escalation-1", false, "error: " + why));
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(run.failedStep()).isNull();
    }

    @Test
    void aCycleAnUnknownTargetAndAnEmptyTaskAreRefusedAndNeverHang() throws Exception {
        PipelineRun run = support();
        run.start(T0);
        run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "a"), T0);
        run.onDelegation(new DelegationRequest("billing-1", 1, 1, "coordinator", "back to you"), T0);
        run.onDelegation(new DelegationRequest("billing-1", 1, 2, "accounting", "b"), T0);
        run.onDelegation(new DelegationRequest("billing-1", 1, 3, "technical", " "), T0);
        assertThat(run.drainReplies()).extracting(DelegationReply::child, DelegationReply::succeeded, DelegationReply::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("coordinator-1", false, "error: delegation refused: delegation "
                                + "cycle: coordinator -> billing -> coordinator; a role cannot delegate back to one that is "
                                + "waiting on it"),
                        org.assertj.core.groups.Tuple.tuple("accounting-1", false, "error: delegation refused: \"accounting\" "
                                + "is not a role billing may delegate to (it may delegate to: technical, coordinator)"),
                        org.assertj.core.groups.Tuple.tuple("technical-1", false, "error: delegation refused: the task is "
                                + "empty; say what technical should do"));
        assertThat(run.steps()).filteredOn(s -> s.phase() == StepPhase.Running).extracting(StepState::name)
                .containsExactly("coordinator", "billing-1");
        assertThat(run.nextDeadline()).contains(T0.plusSeconds(60));
    }

    @Test
    void theRunsTokenBudgetEndsFurtherDelegationWithAMessageTheModelSees() throws Exception {
        PipelineRun run = run(SUPPORT, "{\"message\": \"x\"}", new RunLimits(null, 15L), Directories.of("support", Map.of(), null));
        TaskRequest entry = run.start(T0).get(0);
        TaskRequest first = run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "a"), T0).get(0);
        run.onResult(TaskOutcome.success(first.step(), 1, "done", TokenUsage.of(10, 10)).forTask(first.taskId()), T0);
        run.drainReplies();
        assertThat(run.onDelegation(new DelegationRequest("coordinator", 1, 2, "technical", "b"), T0)).isEmpty();
        assertThat(run.drainReplies()).singleElement().extracting(DelegationReply::text)
                .isEqualTo("error: delegation refused: the run's token budget of 15 tokens is spent");
        run.onResult(answer(entry, "gave up"), T0);
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.reason()).isEqualTo(PipelineRun.REASON_BUDGET_EXCEEDED);
    }

    @Test
    void aChildThatFailsOrTimesOutTellsItsCallerAndADelegatedStepNeverOutlivesItsCaller() throws Exception {
        PipelineRun run = support();
        TaskRequest entry = run.start(T0).get(0);
        TaskRequest billing = run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "a"), T0).get(0);
        run.onResult(TaskOutcome.failure(billing.step(), 1, "provider error: boom", TokenUsage.ZERO).forTask(billing.taskId()), T0);
        assertThat(run.drainReplies()).singleElement().extracting(DelegationReply::text)
                .isEqualTo("error: provider error: boom");

        // technical's own timeout is 120s, but its caller gives up at 180s: the child's deadline is the caller's
        TaskRequest technical = run.onDelegation(new DelegationRequest("coordinator", 1, 2, "technical", "b"),
                T0.plusSeconds(100)).get(0);
        assertThat(technical.deadline()).isEqualTo(T0.plusSeconds(180));
        run.onTime(T0.plusSeconds(180));
        assertThat(run.step("coordinator").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("technical-1").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("technical-1").message()).startsWith("abandoned: step coordinator ended");
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.failedStep()).isEqualTo("coordinator");
        assertThat(entry.taskId()).isEqualTo("run1/coordinator/1");
    }

    @Test
    void aCallRepeatedByAnAgentThatTookTheTaskOverFindsTheChildItMadeBefore() throws Exception {
        PipelineRun run = support();
        run.start(T0);
        DelegationRequest call = new DelegationRequest("coordinator", 1, 1, "billing", "a");
        TaskRequest billing = run.onDelegation(call, T0).get(0);
        assertThat(run.onDelegation(call, T0.plusSeconds(1))).isEmpty();
        run.onResult(answer(billing, "ok"), T0.plusSeconds(2));
        assertThat(run.drainReplies()).hasSize(1);
        assertThat(run.onDelegation(call, T0.plusSeconds(3))).isEmpty();
        assertThat(run.drainReplies()).singleElement().extracting(DelegationReply::text).isEqualTo("ok");
        // the same call number asking for something else is a new child
        assertThat(run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "other"), T0.plusSeconds(4)))
                .singleElement().extracting(TaskRequest::step).isEqualTo("billing-2");
        // calls of an attempt the run is not waiting on are ignored
        assertThat(run.onDelegation(new DelegationRequest("coordinator", 7, 1, "billing", "x"), T0)).isEmpty();
        assertThat(run.isAhead(new DelegationRequest("coordinator", 7, 1, "billing", "x"))).isTrue();
    }

    @Test
    void aRunRestoredMidDelegationCarriesOnAndOwesItsCallersTheAnswersItAlreadyHas() throws Exception {
        PipelineRun run = support();
        TaskRequest entry = run.start(T0).get(0);
        TaskRequest billing = run.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "refund"), T0).get(0);
        TaskRequest technical = run.onDelegation(new DelegationRequest("coordinator", 1, 2, "technical", "check"), T0).get(0);
        run.onResult(answer(technical, "checked"), T0.plusSeconds(1));

        PipelineRun restored = PipelineRun.restore(Teams.pipeline(SUPPORT), "run1",
                new InputResolver().resolve(Teams.pipeline(SUPPORT).spec().inputList(),
                        new ObjectMapper().readTree("{\"message\": \"I was charged twice\", \"priority\": 2}")),
                RunLimits.NONE, new OutputChecker(new JsonSchemas()), record(run), Directories.of("support", Map.of(), null));
        assertThat(restored.resume(T0.plusSeconds(2))).isEmpty();
        assertThat(restored.steps()).isEqualTo(run.steps());
        assertThat(restored.currentTask("billing-1")).contains(billing);
        assertThat(restored.currentTask("coordinator")).contains(entry);
        assertThat(restored.owedReplies()).containsExactly(
                new DelegationReply("coordinator", 1, "run1/coordinator/1", 2, "technical-1", true, "checked"));
        assertThat(restored.onDelegation(new DelegationRequest("coordinator", 1, 1, "billing", "refund"), T0)).isEmpty();

        restored.onResult(answer(billing, "refunded"), T0.plusSeconds(3));
        assertThat(restored.drainReplies()).extracting(DelegationReply::child).containsExactly("billing-1");
        restored.onResult(answer(entry, "all done"), T0.plusSeconds(4));
        assertThat(restored.phase()).isEqualTo(RunPhase.Succeeded);
        assertThat(restored.output()).isEqualTo("all done");
        assertThat(restored.totalTokens()).isEqualTo(TokenUsage.of(18, 12));
    }

    @Test
    void aPipelineStepWhoseRoleMayDelegateIsOfferedTheToolToo() throws Exception {
        PipelineRun run = run("""
                roles: [{name: writer, model: m, canDelegate: [fact-checker]}, {name: fact-checker, model: m}]
                pipeline: [{role: writer, inputs: {prompt: "write"}}]
                """, "{}", RunLimits.NONE, AgentDirectory.NONE);
        TaskRequest write = run.start(T0).get(0);
        assertThat(write.tools().delegates()).containsExactly("fact-checker");
        assertThat(write.agent().queue("ns", "blog")).isEqualTo("ns.blog.writer");
        TaskRequest check = run.onDelegation(new DelegationRequest("writer", 1, 1, "fact-checker", "check"), T0).get(0);
        assertThat(check.tools().isEmpty()).isTrue();
        run.onResult(answer(check, "true"), T0);
        run.onResult(answer(write, "post"), T0);
        assertThat(run.output()).isEqualTo("post");
    }

    static RunRecord record(PipelineRun run) {
        return new RunRecord(run.phase(), run.startTime(), run.completionTime(), run.runDeadline().orElse(null),
                run.failedStep(), run.message(), run.reason(), run.output(), run.steps());
    }
}
