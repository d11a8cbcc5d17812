package dev.arkonis.ark.flow;

import static dev.arkonis.ark.flow.Runs.T0;
import static dev.arkonis.ark.flow.Runs.names;
import static dev.arkonis.ark.flow.Runs.run;
import static dev.arkonis.ark.flow.Runs.restored;
import static dev.arkonis.ark.flow.Runs.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ApprovalVerdict;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalStepTest {
    private static final String GATED = """
            inputs: [{name: topic, default: cats}]
            roles: [{name: w, model: m}]
            pipeline:
              - name: draft
                role: w
                inputs: {prompt: "Write about {{ .input.topic }}"}
              - name: review
                dependsOn: [draft]
                approval:
                  message: "Publish this post about {{ .input.topic }}? {{ .steps.draft.output }}"
                  timeout: 1h
              - name: publish
                role: w
                dependsOn: [review]
                inputs: {prompt: "Publish {{ .steps.draft.output }} with note: {{ .steps.review.output }}"}
            """;

    /** Runs the gated team up to its approval step. */
    private static PipelineRun waiting(String yaml) throws Exception {
        PipelineRun run = run(yaml);
        assertThat(succeed(run, run.start(T0).get(0), "the post", T0.plusSeconds(1))).as("a person decides, not a task").isEmpty();
        return run;
    }

    @Test
    void anApprovalStepWaitsWithItsRenderedMessageAndTheRunSaysSo() throws Exception {
        PipelineRun run = waiting(GATED);
        StepState review = run.step("review");
        assertThat(review.phase()).isEqualTo(StepPhase.WaitingForApproval);
        assertThat(review.role()).isNull();
        assertThat(review.approval().message()).isEqualTo("Publish this post about cats? the post");
        assertThat(review.approval().isDecided()).isFalse();
        assertThat(review.deadline()).isEqualTo(T0.plusSeconds(1).plus(Duration.ofHours(1)));
        assertThat(run.phase()).isEqualTo(RunPhase.WaitingForApproval);
        assertThat(run.waitingForApproval()).extracting(StepState::name).containsExactly("review");
        assertThat(run.nextDeadline()).contains(review.deadline());
        assertThat(run.onTime(T0.plusSeconds(60))).as("nothing to do before the timeout").isEmpty();
    }

    @Test
    void approvedTheStepSucceedsWithTheCommentAsItsOutputAndRecordsWhoDecided() throws Exception {
        PipelineRun run = waiting(GATED);
        List<TaskRequest> next = run.decide(ApprovalDecision.approve("review", "alice@example.com", "ship it",
                T0.plusSeconds(30)), T0.plusSeconds(30));
        assertThat(next).singleElement().satisfies(t -> assertThat(t.prompt()).isEqualTo("Publish the post with note: ship it"));
        StepState review = run.step("review");
        assertThat(review.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(review.output()).isEqualTo("ship it");
        assertThat(review.tokens()).isEqualTo(TokenUsage.ZERO);
        assertThat(review.message()).isEqualTo("approved by alice@example.com: ship it");
        assertThat(review.approval()).satisfies(a -> {
            assertThat(a.verdict()).isEqualTo(ApprovalVerdict.Approved);
            assertThat(a.decidedBy()).isEqualTo("alice@example.com");
            assertThat(a.decidedAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(a.comment()).isEqualTo("ship it");
            assertThat(a.timedOut()).isFalse();
        });
        assertThat(run.phase()).isEqualTo(RunPhase.Running);
        assertThat(run.decide(ApprovalDecision.reject("review", "mallory", "no", T0.plusSeconds(31)), T0.plusSeconds(31)))
                .as("a decided step takes no second decision").isEmpty();
        assertThat(run.step("review").approval().decidedBy()).isEqualTo("alice@example.com");
        succeed(run, next.get(0), "published", T0.plusSeconds(40));
        assertThat(run.phase()).isEqualTo(RunPhase.Succeeded);
    }

    @Test
    void rejectedTheStepFailsNamingWhoRejectedAndTheRunFailsWithIt() throws Exception {
        PipelineRun run = waiting(GATED);
        assertThat(run.decide(ApprovalDecision.reject("review", "bob", "too long", T0.plusSeconds(5)), T0.plusSeconds(5))).isEmpty();
        assertThat(run.step("review").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("review").message()).isEqualTo("rejected by bob: too long");
        assertThat(run.step("review").approval().verdict()).isEqualTo(ApprovalVerdict.Rejected);
        assertThat(run.step("publish").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.failedStep()).isEqualTo("review");
        assertThat(run.reason()).isEqualTo(PipelineRun.REASON_REJECTED);
        assertThat(run.message()).isEqualTo("step review was rejected by bob: too long");
    }

    @Test
    void aTimeoutRejectsByDefault() throws Exception {
        PipelineRun run = waiting(GATED);
        assertThat(run.onTime(T0.plusSeconds(1).plus(Duration.ofHours(1)))).isEmpty();
        StepState review = run.step("review");
        assertThat(review.phase()).isEqualTo(StepPhase.Failed);
        assertThat(review.message()).isEqualTo("no decision within 1h: rejected by its timeout (onTimeout: reject)");
        assertThat(review.approval().timedOut()).isTrue();
        assertThat(review.approval().decidedBy()).isNull();
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
        assertThat(run.reason()).isEqualTo(PipelineRun.REASON_REJECTED);
    }

    @Test
    void aTimeoutApprovesWhenTheStepSaysSo() throws Exception {
        PipelineRun run = waiting(GATED.replace("timeout: 1h", "timeout: 30m\n      onTimeout: approve"));
        List<TaskRequest> next = run.onTime(T0.plusSeconds(1).plus(Duration.ofMinutes(30)));
        assertThat(names(next)).containsExactly("publish");
        StepState review = run.step("review");
        assertThat(review.phase()).isEqualTo(StepPhase.Succeeded);
        assertThat(review.output()).isEmpty();
        assertThat(review.message()).isEqualTo("no decision within 30m: approved by its timeout (onTimeout: approve)");
        assertThat(review.approval().verdict()).isEqualTo(ApprovalVerdict.Approved);
        assertThat(review.approval().timedOut()).isTrue();
    }

    @Test
    void anApprovalUnderAFalseConditionIsSkippedAndItsDependentsRun() throws Exception {
        String conditional = GATED.replace("    dependsOn: [draft]\n    approval:",
                "    dependsOn: [draft]\n    if: \"{{ eq .input.topic \\\"risky\\\" }}\"\n    approval:");
        PipelineRun run = run(conditional);
        List<TaskRequest> next = succeed(run, run.start(T0).get(0), "the post", T0);
        assertThat(names(next)).containsExactly("publish");
        assertThat(run.step("review").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("review").skipReason()).isEqualTo(SkipReason.ConditionFalse);
        assertThat(run.step("review").approval()).isNull();

        PipelineRun risky = Runs.run(conditional, "{\"topic\": \"risky\"}", RunLimits.NONE);
        assertThat(succeed(risky, risky.start(T0).get(0), "the post", T0)).isEmpty();
        assertThat(risky.step("review").phase()).isEqualTo(StepPhase.WaitingForApproval);
    }

    @Test
    void aRunRestoredWhileWaitingKeepsWaitingWithItsDeadlineAndTakesTheDecision() throws Exception {
        PipelineRun run = waiting(GATED);
        RunRecord record = run.record();
        assertThat(record.phase()).isEqualTo(RunPhase.WaitingForApproval);

        PipelineRun again = restored(run, GATED);
        assertThat(again.phase()).isEqualTo(RunPhase.WaitingForApproval);
        assertThat(again.resume(T0.plusSeconds(120))).as("nothing dispatched: it waits for a person").isEmpty();
        assertThat(again.step("review")).isEqualTo(run.step("review"));
        assertThat(again.nextDeadline()).contains(run.step("review").deadline());
        List<TaskRequest> next = again.decide(ApprovalDecision.approve("review", "carol", null, T0.plusSeconds(200)),
                T0.plusSeconds(200));
        assertThat(names(next)).containsExactly("publish");
        assertThat(again.step("review").output()).isEmpty();
        assertThat(again.step("review").message()).isEqualTo("approved by carol");

        // and restored after the decision: the verdict stays, no second decision is taken
        PipelineRun decided = restored(again, GATED);
        assertThat(decided.step("review").approval()).isEqualTo(again.step("review").approval());
        assertThat(decided.currentTask("publish")).contains(next.get(0));
        assertThat(decided.decide(ApprovalDecision.reject("review", "dave", null, T0.plusSeconds(300)), T0.plusSeconds(300))).isEmpty();
    }

    @Test
    void aRestoredRunTimesOutItsApprovalAtTheRecordedDeadline() throws Exception {
        PipelineRun again = restored(waiting(GATED), GATED);
        again.onTime(T0.plusSeconds(1).plus(Duration.ofHours(1)).minusMillis(1));
        assertThat(again.step("review").phase()).isEqualTo(StepPhase.WaitingForApproval);
        again.onTime(T0.plusSeconds(1).plus(Duration.ofHours(1)));
        assertThat(again.step("review").phase()).isEqualTo(StepPhase.Failed);
    }

    @Test
    void aFailureElsewhereAbandonsAnApprovalNobodyNeedsToDecideAnyMore() throws Exception {
        PipelineRun run = run("""
                roles: [{name: w, model: m}]
                pipeline:
                  - {name: gate, approval: {message: "go?"}}
                  - {name: other, role: w}
                """);
        List<TaskRequest> first = run.start(T0);
        assertThat(names(first)).containsExactly("other");
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.WaitingForApproval);
        assertThat(run.step("gate").deadline()).as("no timeout: it waits until decided").isNull();
        run.onResult(TaskOutcome.failure("other", 1, "boom", Runs.TEN), T0.plusSeconds(1));
        assertThat(run.step("gate").phase()).isEqualTo(StepPhase.Skipped);
        assertThat(run.step("gate").skipReason()).isEqualTo(SkipReason.RunFailed);
        assertThat(run.phase()).isEqualTo(RunPhase.Failed);
    }

    @Test
    void aRunThatTimesOutWhileWaitingFailsTheApproval() throws Exception {
        PipelineRun run = Runs.run(GATED, "{}", new RunLimits(Duration.ofMinutes(10), null));
        succeed(run, run.start(T0).get(0), "the post", T0.plusSeconds(1));
        assertThat(run.nextDeadline()).contains(T0.plus(Duration.ofMinutes(10)));
        run.onTime(T0.plus(Duration.ofMinutes(10)));
        assertThat(run.phase()).isEqualTo(RunPhase.TimedOut);
        assertThat(run.step("review").phase()).isEqualTo(StepPhase.Failed);
        assertThat(run.step("review").message()).contains("abandoned: the run timed out");
    }

    @Test
    void aRejectedApprovalIsAskedAgainWhenTheRunIsRetried() throws Exception {
        PipelineRun run = waiting(GATED);
        assertThat(run.step("review").attempts()).as("the first asking").isEqualTo(1);
        run.decide(ApprovalDecision.reject("review", "bob", null, T0.plusSeconds(5)), T0.plusSeconds(5));
        assertThat(run.retry(java.util.Set.of(), T0.plusSeconds(10))).isEmpty();
        assertThat(run.step("review").phase()).isEqualTo(StepPhase.WaitingForApproval);
        assertThat(run.step("review").approval().isDecided()).isFalse();
        assertThat(run.step("review").attempts()).as("a new asking, which decisions of the first do not decide").isEqualTo(2);
        assertThat(run.phase()).isEqualTo(RunPhase.WaitingForApproval);
    }
}
